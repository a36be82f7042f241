namespace MediaEngine.Ice;

/// <summary>The FINGERPRINT attribute (RFC 5389 §15.5).</summary>
internal static class StunFingerprint
{
    public const int ValueLength = 4;

    // Keeps the value distinct from CRCs computed by other protocols sharing the packet.
    private const uint XorMask = 0x5354554E;

    /// <summary>
    /// Computes the value over everything before the FINGERPRINT attribute; the header length
    /// must already count the FINGERPRINT attribute.
    /// </summary>
    public static uint Compute(ReadOnlySpan<byte> messageBeforeFingerprint) =>
        Crc32.Compute(messageBeforeFingerprint) ^ XorMask;
}
