namespace MediaEngine.Srtp;

/// <summary>
/// The SRTP key derivation function of RFC 3711 §4.3 with the AES-CM PRF and a key derivation rate of zero,
/// the only rate DTLS-SRTP uses. RFC 7714 §11 keeps this KDF for the AEAD profiles.
/// </summary>
public static class SrtpKeyDerivation
{
    private const int MaxSaltLength = 14;
    private const int LabelPosition = 7;

    /// <summary>Fills <paramref name="destination"/> with the session key, salt or authentication key that <paramref name="label"/> names.</summary>
    /// <param name="masterSalt">14 bytes, or 12 for the AEAD profiles, which are padded with zeros on the right as libsrtp does.</param>
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpKeyLabel label, Span<byte> destination)
    {
        if (masterKey.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException("An AES master key is 16, 24 or 32 bytes long.", nameof(masterKey));
        }

        if (masterSalt.Length > MaxSaltLength)
        {
            throw new ArgumentException($"A master salt is at most {MaxSaltLength} bytes long.", nameof(masterSalt));
        }

        // x = master salt XOR (label || index DIV kdr), with index DIV kdr zero; the IV is x * 2^16.
        Span<byte> iv = stackalloc byte[AesCounterModeCipher.BlockSize];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[LabelPosition] ^= (byte)label;

        destination.Clear();
        using var cipher = new AesCounterModeCipher(masterKey);
        cipher.Apply(iv, destination);
    }
}
