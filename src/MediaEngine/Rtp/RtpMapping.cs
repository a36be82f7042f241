namespace MediaEngine.Rtp;

/// <summary>
/// How a producer's payload types and streams translate into the router's: payload types become the
/// router's codec payload types and every stream gets an SSRC of the router's choosing.
/// </summary>
public sealed class RtpMapping
{
    public List<RtpCodecMapping> Codecs { get; set; } = [];

    /// <summary>One entry per producer encoding, in the same order.</summary>
    public List<RtpEncodingMapping> Encodings { get; set; } = [];
}
