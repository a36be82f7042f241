using MediaEngine.Srtp;

namespace MediaEngine.Dtls;

public static class SrtpCryptoSuites
{
    /// <summary>The suites we offer and accept, most preferred first, as mediasoup orders them.</summary>
    public static IReadOnlyList<SrtpCryptoSuite> PreferenceOrder { get; } =
    [
        SrtpCryptoSuite.AeadAes256Gcm,
        SrtpCryptoSuite.AeadAes128Gcm,
        SrtpCryptoSuite.AesCm128HmacSha1_80,
        SrtpCryptoSuite.AesCm128HmacSha1_32,
    ];

    /// <summary>The name mediasoup uses, e.g. 'AEAD_AES_256_GCM' or 'AES_CM_128_HMAC_SHA1_80'.</summary>
    public static string ToMediasoupName(this SrtpCryptoSuite suite) => suite switch
    {
        SrtpCryptoSuite.AeadAes256Gcm => "AEAD_AES_256_GCM",
        SrtpCryptoSuite.AeadAes128Gcm => "AEAD_AES_128_GCM",
        SrtpCryptoSuite.AesCm128HmacSha1_80 => "AES_CM_128_HMAC_SHA1_80",
        SrtpCryptoSuite.AesCm128HmacSha1_32 => "AES_CM_128_HMAC_SHA1_32",
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "Unknown SRTP crypto suite."),
    };

    /// <summary>The SRTP profile (RFC 5764's name for it) a DTLS-negotiated suite keys.</summary>
    public static SrtpProfile ToSrtpProfile(this SrtpCryptoSuite suite) => suite switch
    {
        SrtpCryptoSuite.AeadAes256Gcm => SrtpProfile.AeadAes256Gcm,
        SrtpCryptoSuite.AeadAes128Gcm => SrtpProfile.AeadAes128Gcm,
        SrtpCryptoSuite.AesCm128HmacSha1_80 => SrtpProfile.AesCm128HmacSha1_80,
        SrtpCryptoSuite.AesCm128HmacSha1_32 => SrtpProfile.AesCm128HmacSha1_32,
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "Unknown SRTP crypto suite."),
    };

    public static int MasterKeyLength(this SrtpCryptoSuite suite) => suite switch
    {
        SrtpCryptoSuite.AeadAes256Gcm => 32,
        SrtpCryptoSuite.AeadAes128Gcm or SrtpCryptoSuite.AesCm128HmacSha1_80 or SrtpCryptoSuite.AesCm128HmacSha1_32 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "Unknown SRTP crypto suite."),
    };

    public static int MasterSaltLength(this SrtpCryptoSuite suite) => suite switch
    {
        SrtpCryptoSuite.AeadAes256Gcm or SrtpCryptoSuite.AeadAes128Gcm => 12,
        SrtpCryptoSuite.AesCm128HmacSha1_80 or SrtpCryptoSuite.AesCm128HmacSha1_32 => 14,
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "Unknown SRTP crypto suite."),
    };

    /// <summary>
    /// The server's choice among the client's use_srtp profile ids: our most preferred one the client
    /// offers (the server's preference wins, as with OpenSSL in mediasoup), or null when none is ours.
    /// </summary>
    public static SrtpCryptoSuite? SelectPreferred(IReadOnlyCollection<int> offeredProfileIds)
    {
        ArgumentNullException.ThrowIfNull(offeredProfileIds);
        foreach (SrtpCryptoSuite suite in PreferenceOrder)
        {
            if (offeredProfileIds.Contains((int)suite))
            {
                return suite;
            }
        }

        return null;
    }
}
