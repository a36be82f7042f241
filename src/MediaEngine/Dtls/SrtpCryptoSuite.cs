namespace MediaEngine.Dtls;

/// <summary>SRTP protection profiles negotiated through DTLS use_srtp; each value is its IANA id.</summary>
public enum SrtpCryptoSuite
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764).</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AES128_CM_HMAC_SHA1_32 (RFC 5764).</summary>
    AesCm128HmacSha1_32 = 0x0002,

    /// <summary>SRTP_AEAD_AES_128_GCM (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,

    /// <summary>SRTP_AEAD_AES_256_GCM (RFC 7714).</summary>
    AeadAes256Gcm = 0x0008,
}
