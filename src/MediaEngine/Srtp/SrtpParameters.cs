using System.Security.Cryptography;

namespace MediaEngine.Srtp;

/// <summary>
/// A plain transport's SRTP keying as mediasoup signals it: a crypto suite name and the master
/// key followed by the master salt, base64-encoded (30 bytes for AES-CM, 28 for AES-128-GCM,
/// 44 for AES-256-GCM).
/// </summary>
public sealed record SrtpParameters(SrtpProfile Profile, byte[] MasterKey, byte[] MasterSalt)
{
    public const SrtpProfile DefaultProfile = SrtpProfile.AesCm128HmacSha1_80;

    public string CryptoSuite => Profile.MediasoupName;

    public string KeyBase64
    {
        get
        {
            var keyAndSalt = new byte[MasterKey.Length + MasterSalt.Length];
            MasterKey.CopyTo(keyAndSalt, 0);
            MasterSalt.CopyTo(keyAndSalt, MasterKey.Length);
            return Convert.ToBase64String(keyAndSalt);
        }
    }

    /// <summary>Length of key + salt for <paramref name="profile"/>.</summary>
    public static int KeyAndSaltLength(SrtpProfile profile) => profile.KeyLength + profile.SaltLength;

    /// <summary>Fresh random keying material for our side.</summary>
    public static SrtpParameters Generate(SrtpProfile profile) =>
        new(profile, RandomNumberGenerator.GetBytes(profile.KeyLength), RandomNumberGenerator.GetBytes(profile.SaltLength));

    /// <summary>The remote side's parameters; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static SrtpParameters Parse(string? cryptoSuite, string? keyBase64)
    {
        if (string.IsNullOrEmpty(cryptoSuite))
            throw new ArgumentException("missing srtpParameters.cryptoSuite");
        if (!SrtpProfile.TryParseMediasoupName(cryptoSuite, out var profile))
            throw new ArgumentException($"invalid/unsupported srtpParameters.cryptoSuite \"{cryptoSuite}\"");
        if (string.IsNullOrEmpty(keyBase64))
            throw new ArgumentException("missing srtpParameters.keyBase64");
        var keyAndSalt = new byte[keyBase64.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(keyBase64, keyAndSalt, out var length))
            throw new ArgumentException("invalid srtpParameters.keyBase64 (not base64)");
        if (length != KeyAndSaltLength(profile))
            throw new ArgumentException($"invalid srtpParameters.keyBase64 ({length} bytes, {cryptoSuite} needs {KeyAndSaltLength(profile)})");
        return new SrtpParameters(profile, keyAndSalt[..profile.KeyLength], keyAndSalt[profile.KeyLength..length]);
    }

    public SrtpSession CreateSession() => new(Profile, MasterKey, MasterSalt);
}
