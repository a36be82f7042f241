namespace MediaEngine.Srtp;

/// <summary>The session keys and salts of one SRTP direction, for SRTP and for SRTCP.</summary>
public sealed class SrtpSessionKeys
{
    public SrtpSessionKeys(
        SrtpProfile profile,
        ReadOnlySpan<byte> rtpEncryptionKey,
        ReadOnlySpan<byte> rtpSalt,
        ReadOnlySpan<byte> rtpAuthenticationKey,
        ReadOnlySpan<byte> rtcpEncryptionKey,
        ReadOnlySpan<byte> rtcpSalt,
        ReadOnlySpan<byte> rtcpAuthenticationKey)
    {
        Profile = profile;
        RtpEncryptionKey = Checked(rtpEncryptionKey, profile.KeyLength, nameof(rtpEncryptionKey));
        RtpSalt = Checked(rtpSalt, profile.SaltLength, nameof(rtpSalt));
        RtpAuthenticationKey = Checked(rtpAuthenticationKey, profile.AuthenticationKeyLength, nameof(rtpAuthenticationKey));
        RtcpEncryptionKey = Checked(rtcpEncryptionKey, profile.KeyLength, nameof(rtcpEncryptionKey));
        RtcpSalt = Checked(rtcpSalt, profile.SaltLength, nameof(rtcpSalt));
        RtcpAuthenticationKey = Checked(rtcpAuthenticationKey, profile.AuthenticationKeyLength, nameof(rtcpAuthenticationKey));
    }

    public SrtpProfile Profile { get; }

    public ReadOnlyMemory<byte> RtpEncryptionKey { get; }

    public ReadOnlyMemory<byte> RtpSalt { get; }

    /// <summary>Empty for the AEAD profiles.</summary>
    public ReadOnlyMemory<byte> RtpAuthenticationKey { get; }

    public ReadOnlyMemory<byte> RtcpEncryptionKey { get; }

    public ReadOnlyMemory<byte> RtcpSalt { get; }

    /// <summary>Empty for the AEAD profiles.</summary>
    public ReadOnlyMemory<byte> RtcpAuthenticationKey { get; }

    /// <summary>Derives the six session values from a master key and salt (RFC 3711 §4.3, RFC 7714 §11).</summary>
    public static SrtpSessionKeys Derive(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        Checked(masterKey, profile.KeyLength, nameof(masterKey));
        Checked(masterSalt, profile.SaltLength, nameof(masterSalt));

        return new SrtpSessionKeys(
            profile,
            Derived(masterKey, masterSalt, SrtpKeyLabel.RtpEncryption, profile.KeyLength),
            Derived(masterKey, masterSalt, SrtpKeyLabel.RtpSalt, profile.SaltLength),
            Derived(masterKey, masterSalt, SrtpKeyLabel.RtpAuthentication, profile.AuthenticationKeyLength),
            Derived(masterKey, masterSalt, SrtpKeyLabel.RtcpEncryption, profile.KeyLength),
            Derived(masterKey, masterSalt, SrtpKeyLabel.RtcpSalt, profile.SaltLength),
            Derived(masterKey, masterSalt, SrtpKeyLabel.RtcpAuthentication, profile.AuthenticationKeyLength));
    }

    private static byte[] Derived(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpKeyLabel label, int length)
    {
        var value = new byte[length];
        SrtpKeyDerivation.Derive(masterKey, masterSalt, label, value);
        return value;
    }

    private static byte[] Checked(ReadOnlySpan<byte> value, int expectedLength, string name) =>
        value.Length == expectedLength
            ? value.ToArray()
            : throw new ArgumentException($"Expected {expectedLength} bytes, got {value.Length}.", name);
}
