namespace MediaEngine.Srtp;

/// <summary>
/// AES-GCM (NIST SP 800-38D) with a 12-byte nonce and a 16-byte tag, in place, as RFC 7714 uses it. Not thread-safe.
/// </summary>
internal abstract class GcmCipher : IDisposable
{
    public const int NonceLength = 12;
    public const int TagLength = 16;

    /// <summary>Our GHASH over the BCL's AES where the CPU has PCLMULQDQ, otherwise the BCL's AES-GCM.</summary>
    public static GcmCipher Create(ReadOnlySpan<byte> key) =>
        Ghash.IsSupported ? new ClmulGcmCipher(key) : new SystemGcmCipher(key);

    /// <summary>Encrypts <paramref name="data"/> in place and writes the tag over it and <paramref name="associatedData"/>.</summary>
    public abstract void Seal(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> associatedData);

    /// <summary>Checks the tag and, if it matches, decrypts <paramref name="data"/> in place.</summary>
    /// <returns>False, without throwing, when the tag does not authenticate the data.</returns>
    public abstract bool TryOpen(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData);

    public abstract void Dispose();
}
