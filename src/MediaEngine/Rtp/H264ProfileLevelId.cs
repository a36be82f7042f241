using System.Globalization;

namespace MediaEngine.Rtp;

/// <summary>
/// The H.264 <c>profile-level-id</c> format parameter (three hex bytes: profile_idc, profile_iop,
/// level_idc) and the RFC 6184 offer/answer rules for it.
/// </summary>
public readonly record struct H264ProfileLevelId(H264Profile Profile, H264Level Level)
{
    public const string ParameterName = "profile-level-id";

    private const string LevelAsymmetryAllowedParameterName = "level-asymmetry-allowed";

    // For level_idc 11 this flag selects level 1b instead of level 1.1.
    private const int ConstraintSet3Flag = 0x10;

    /// <summary>
    /// Assumed when the parameter is absent. RFC 6184 says Baseline level 1, but WebRTC uses
    /// Constrained Baseline 3.1 (42e01f) and interoperating with it matters more.
    /// </summary>
    public static readonly H264ProfileLevelId Default = new(H264Profile.ConstrainedBaseline, H264Level.L3_1);

    // profile_idc plus a profile_iop bit pattern (most significant bit first, 'x' = either).
    private static readonly (int ProfileIdc, string ProfileIopPattern, H264Profile Profile)[] ProfilePatterns =
    [
        (0x42, "x1xx0000", H264Profile.ConstrainedBaseline),
        (0x4D, "1xxx0000", H264Profile.ConstrainedBaseline),
        (0x58, "11xx0000", H264Profile.ConstrainedBaseline),
        (0x42, "x0xx0000", H264Profile.Baseline),
        (0x58, "10xx0000", H264Profile.Baseline),
        (0x4D, "0x0x0000", H264Profile.Main),
        (0x64, "00000000", H264Profile.High),
        (0x64, "00001100", H264Profile.ConstrainedHigh),
        (0xF4, "00000000", H264Profile.PredictiveHigh444),
    ];

    /// <summary>Parses six hex digits; null if they are malformed or name no known profile and level.</summary>
    public static H264ProfileLevelId? Parse(string text)
    {
        if (text.Length != 6
            || !int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var numeric))
        {
            return null;
        }

        var profileIdc = numeric >> 16;
        var profileIop = (numeric >> 8) & 0xFF;
        var levelIdc = numeric & 0xFF;

        H264Level level;
        if (levelIdc == (int)H264Level.L1_1)
        {
            level = (profileIop & ConstraintSet3Flag) != 0 ? H264Level.L1b : H264Level.L1_1;
        }
        else if (levelIdc != (int)H264Level.L1b && Enum.IsDefined((H264Level)levelIdc))
        {
            level = (H264Level)levelIdc;
        }
        else
        {
            return null;
        }

        foreach (var (idc, pattern, profile) in ProfilePatterns)
        {
            if (idc == profileIdc && MatchesBitPattern(profileIop, pattern))
            {
                return new H264ProfileLevelId(profile, level);
            }
        }

        return null;
    }

    /// <summary>
    /// Reads <c>profile-level-id</c> from codec parameters: <see cref="Default"/> when absent or empty,
    /// null when present but invalid. A numeric value is read as its decimal digits, since SDP parsers
    /// turn an all-digit id such as 640032 into a number.
    /// </summary>
    public static H264ProfileLevelId? FromParameters(IReadOnlyDictionary<string, object> parameters) =>
        ReadParameter(parameters) is { } text ? Parse(text) : Default;

    /// <summary>
    /// Computes the profile-level-id of an answer (RFC 6184 §8.2.2): the local level when both sides
    /// allow level asymmetry, otherwise the lower of the two levels.
    /// </summary>
    /// <param name="answer">The negotiated id, or null when neither side gave one (so the answer omits it too).</param>
    /// <returns>False if either id is invalid or the profiles differ.</returns>
    public static bool TryNegotiateAnswer(
        IReadOnlyDictionary<string, object> localParameters,
        IReadOnlyDictionary<string, object> remoteParameters,
        out string? answer)
    {
        answer = null;
        if (FromParameters(localParameters) is not { } local
            || FromParameters(remoteParameters) is not { } remote
            || local.Profile != remote.Profile)
        {
            return false;
        }

        if (ReadParameter(localParameters) is null && ReadParameter(remoteParameters) is null)
        {
            return true;
        }

        var levelAsymmetryAllowed =
            IsLevelAsymmetryAllowed(localParameters) && IsLevelAsymmetryAllowed(remoteParameters);
        var answerLevel = levelAsymmetryAllowed ? local.Level : Min(local.Level, remote.Level);
        answer = (local with { Level = answerLevel }).Format();
        return true;
    }

    /// <summary>The canonical six lowercase hex digits.</summary>
    public string Format()
    {
        if (Level == H264Level.L1b)
        {
            return Profile switch
            {
                H264Profile.ConstrainedBaseline => "42f00b",
                H264Profile.Baseline => "42100b",
                H264Profile.Main => "4d100b",
                _ => throw new InvalidOperationException($"level 1b is not defined for H.264 profile {Profile}"),
            };
        }

        var profileIdcAndIop = Profile switch
        {
            H264Profile.ConstrainedBaseline => "42e0",
            H264Profile.Baseline => "4200",
            H264Profile.Main => "4d00",
            H264Profile.ConstrainedHigh => "640c",
            H264Profile.High => "6400",
            H264Profile.PredictiveHigh444 => "f400",
            _ => throw new InvalidOperationException($"unknown H.264 profile {Profile}"),
        };
        return profileIdcAndIop + ((int)Level).ToString("x2", CultureInfo.InvariantCulture);
    }

    private static string? ReadParameter(IReadOnlyDictionary<string, object> parameters) =>
        parameters.TryGetValue(ParameterName, out var value)
            && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text
            ? text
            : null;

    private static bool IsLevelAsymmetryAllowed(IReadOnlyDictionary<string, object> parameters) =>
        parameters.TryGetValue(LevelAsymmetryAllowedParameterName, out var value)
        && Convert.ToString(value, CultureInfo.InvariantCulture) == "1";

    private static bool MatchesBitPattern(int value, string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            var bit = (value >> (pattern.Length - 1 - i)) & 1;
            if (pattern[i] != 'x' && pattern[i] - '0' != bit)
            {
                return false;
            }
        }

        return true;
    }

    // Level 1b lies between levels 1 and 1.1 but has the lowest enum value.
    private static H264Level Min(H264Level a, H264Level b) => IsLower(a, b) ? a : b;

    private static bool IsLower(H264Level a, H264Level b)
    {
        if (a == H264Level.L1b)
        {
            return b is not (H264Level.L1 or H264Level.L1b);
        }

        if (b == H264Level.L1b)
        {
            return a == H264Level.L1;
        }

        return a < b;
    }
}
