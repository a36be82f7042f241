namespace MediaEngine.Rtp;

/// <summary>A producer stream, identified by its SSRC or RID, and the SSRC the router forwards it with.</summary>
public sealed record RtpEncodingMapping
{
    public uint? Ssrc { get; init; }

    public string? Rid { get; init; }

    public string? ScalabilityMode { get; init; }

    public required uint MappedSsrc { get; init; }
}
