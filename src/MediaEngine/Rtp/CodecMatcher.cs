using System.Globalization;

namespace MediaEngine.Rtp;

/// <summary>Decides whether two codec descriptions denote the same codec (protocol.md §7.3).</summary>
public static class CodecMatcher
{
    /// <param name="strict">Also compare H.264 packetization mode and profile, and VP9 profile.</param>
    /// <param name="modify">With <paramref name="strict"/>, rewrite <paramref name="a"/>'s H.264
    /// profile-level-id to the negotiated answer (<paramref name="a"/> is the local side).</param>
    public static bool Match(IRtpCodec a, IRtpCodec b, bool strict = false, bool modify = false)
    {
        var mimeType = a.MimeType.ToLowerInvariant();
        if (mimeType != b.MimeType.ToLowerInvariant() || a.ClockRate != b.ClockRate || a.Channels != b.Channels)
        {
            return false;
        }

        switch (mimeType)
        {
            case "audio/multiopus":
                return SameParameter(a, b, "num_streams", whenAbsent: null)
                    && SameParameter(a, b, "coupled_streams", whenAbsent: null);

            case "video/h264" or "video/h264-svc" when strict:
                if (!SameParameter(a, b, "packetization-mode", whenAbsent: "0")
                    || !H264ProfileLevelId.TryNegotiateAnswer(a.Parameters, b.Parameters, out var answer))
                {
                    return false;
                }

                if (modify)
                {
                    if (answer is null)
                    {
                        a.Parameters.Remove(H264ProfileLevelId.ParameterName);
                    }
                    else
                    {
                        a.Parameters[H264ProfileLevelId.ParameterName] = answer;
                    }
                }

                return true;

            case "video/vp9" when strict:
                return SameParameter(a, b, "profile-id", whenAbsent: "0");

            default:
                return true;
        }
    }

    // Compares values by their text so that 1 and "1" are equal: SDP carries both spellings.
    private static bool SameParameter(IRtpCodec a, IRtpCodec b, string name, string? whenAbsent) =>
        ParameterText(a, name, whenAbsent) == ParameterText(b, name, whenAbsent);

    private static string? ParameterText(IRtpCodec codec, string name, string? whenAbsent) =>
        codec.Parameters.TryGetValue(name, out var value)
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : whenAbsent;
}
