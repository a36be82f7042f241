namespace MediaEngine.Srtp;

/// <summary>
/// The DTLS-SRTP protection profiles mediasoup supports, in mediasoup's order of preference.
/// </summary>
public enum SrtpProfile
{
    AeadAes256Gcm,
    AeadAes128Gcm,
    AesCm128HmacSha1_80,
    AesCm128HmacSha1_32,
}
