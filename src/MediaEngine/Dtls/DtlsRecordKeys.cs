using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace MediaEngine.Dtls;

/// <summary>
/// The AES-GCM write keys and implicit nonces of both directions, from the handshake's key block
/// (RFC 5246 §6.3: client key, server key, client IV, server IV; AEAD suites have no MAC keys).
/// </summary>
internal sealed record DtlsRecordKeys(byte[] LocalWriteKey, byte[] LocalWriteIv, byte[] RemoteWriteKey, byte[] RemoteWriteIv)
{
    private const int FixedIvLength = 4;

    /// <summary>Must run inside NotifyHandshakeComplete: BouncyCastle erases the master secret afterwards.</summary>
    public static DtlsRecordKeys Derive(TlsContext context, DtlsRole localRole)
    {
        int keyLength = context.SecurityParameters.CipherSuite switch
        {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 => 16,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 => 32,
            var other => throw new TlsFatalAlert(AlertDescription.internal_error, $"Cipher suite {other} was not offered."),
        };
        byte[] block = TlsImplUtilities.CalculateKeyBlock(new TlsCryptoParameters(context), 2 * (keyLength + FixedIvLength));
        byte[] clientKey = block[..keyLength];
        byte[] serverKey = block[keyLength..(2 * keyLength)];
        byte[] clientIv = block[(2 * keyLength)..(2 * keyLength + FixedIvLength)];
        byte[] serverIv = block[(2 * keyLength + FixedIvLength)..];
        return localRole == DtlsRole.Client
            ? new DtlsRecordKeys(clientKey, clientIv, serverKey, serverIv)
            : new DtlsRecordKeys(serverKey, serverIv, clientKey, clientIv);
    }
}
