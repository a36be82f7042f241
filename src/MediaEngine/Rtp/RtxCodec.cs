namespace MediaEngine.Rtp;

/// <summary>Recognises retransmission (RTX, RFC 4588) codecs and the media codec each one repairs.</summary>
internal static class RtxCodec
{
    public static bool IsRtx(IRtpCodec codec) =>
        codec.MimeType.Length > "/rtx".Length && codec.MimeType.EndsWith("/rtx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the codec's <c>apt</c> (associated payload type) parameter is <paramref name="payloadType"/>.</summary>
    public static bool HasApt(IRtpCodec codec, int payloadType) =>
        codec.Parameters.TryGetValue("apt", out var apt)
        && apt is int or long or double
        && Convert.ToDouble(apt, System.Globalization.CultureInfo.InvariantCulture) == payloadType;
}
