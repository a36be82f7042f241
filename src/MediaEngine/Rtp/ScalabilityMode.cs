using System.Text.RegularExpressions;

namespace MediaEngine.Rtp;

/// <summary>Spatial/temporal layer counts of a WebRTC scalability mode such as "L3T3_KEY".</summary>
public readonly partial record struct ScalabilityMode(int SpatialLayers, int TemporalLayers, bool Ksvc)
{
    public static readonly ScalabilityMode SingleLayer = new(1, 1, false);

    /// <summary>Reads the leading "L|S{spatial}T{temporal}[_KEY]"; anything unparsable means a single layer.</summary>
    public static ScalabilityMode Parse(string? scalabilityMode)
    {
        if (scalabilityMode is null || ModeRegex().Match(scalabilityMode) is not { Success: true } match)
        {
            return SingleLayer;
        }

        return new ScalabilityMode(
            int.Parse(match.Groups[1].ValueSpan),
            int.Parse(match.Groups[2].ValueSpan),
            match.Groups[3].Success);
    }

    [GeneratedRegex(@"^[LS]([1-9][0-9]?)T([1-9][0-9]?)(_KEY)?")]
    private static partial Regex ModeRegex();
}
