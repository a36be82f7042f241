namespace MediaEngine.Codecs;

/// <summary>Key frame detection for the video codecs the router forwards, by MIME type.</summary>
public static class KeyFrameDetector
{
    /// <summary>
    /// Whether the RTP payload starts a key frame; false for codecs without detection (audio,
    /// AV1) and for payloads that do not parse. The MIME type is compared case-insensitively.
    /// </summary>
    public static bool IsKeyFrame(string mimeType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(mimeType);
        if (mimeType.Equals("video/VP8", StringComparison.OrdinalIgnoreCase))
        {
            return Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor) && descriptor.IsKeyFrame;
        }

        if (mimeType.Equals("video/VP9", StringComparison.OrdinalIgnoreCase))
        {
            return Vp9PayloadDescriptor.TryParse(payload, out Vp9PayloadDescriptor descriptor) && descriptor.IsKeyFrame;
        }

        return mimeType.Equals("video/H264", StringComparison.OrdinalIgnoreCase) && H264.IsKeyFrame(payload);
    }
}
