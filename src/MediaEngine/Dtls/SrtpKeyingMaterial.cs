namespace MediaEngine.Dtls;

/// <summary>
/// SRTP master keys and salts derived from a DTLS handshake, seen from our side: the local ones
/// protect what we send, the remote ones unprotect what we receive.
/// </summary>
public sealed class SrtpKeyingMaterial
{
    private SrtpKeyingMaterial(
        SrtpCryptoSuite cryptoSuite,
        byte[] localMasterKey,
        byte[] localMasterSalt,
        byte[] remoteMasterKey,
        byte[] remoteMasterSalt)
    {
        CryptoSuite = cryptoSuite;
        LocalMasterKey = localMasterKey;
        LocalMasterSalt = localMasterSalt;
        RemoteMasterKey = remoteMasterKey;
        RemoteMasterSalt = remoteMasterSalt;
    }

    public SrtpCryptoSuite CryptoSuite { get; }

    public ReadOnlyMemory<byte> LocalMasterKey { get; }

    public ReadOnlyMemory<byte> LocalMasterSalt { get; }

    public ReadOnlyMemory<byte> RemoteMasterKey { get; }

    public ReadOnlyMemory<byte> RemoteMasterSalt { get; }

    /// <summary>Bytes the "EXTRACTOR-dtls_srtp" exporter must produce for <paramref name="cryptoSuite"/>.</summary>
    public static int ExportedLength(SrtpCryptoSuite cryptoSuite) =>
        2 * (cryptoSuite.MasterKeyLength() + cryptoSuite.MasterSaltLength());

    /// <summary>
    /// Splits the exporter output, laid out as client key | server key | client salt | server salt
    /// (RFC 5764 §4.2), into our local and remote halves for <paramref name="localRole"/>.
    /// </summary>
    public static SrtpKeyingMaterial FromExporterOutput(
        SrtpCryptoSuite cryptoSuite,
        DtlsRole localRole,
        ReadOnlySpan<byte> exported)
    {
        if (localRole is not (DtlsRole.Client or DtlsRole.Server))
        {
            throw new ArgumentOutOfRangeException(nameof(localRole), localRole, "The local role must be client or server.");
        }

        if (exported.Length != ExportedLength(cryptoSuite))
        {
            throw new ArgumentException($"{cryptoSuite} needs {ExportedLength(cryptoSuite)} exported bytes.", nameof(exported));
        }

        int keyLength = cryptoSuite.MasterKeyLength();
        int saltLength = cryptoSuite.MasterSaltLength();
        byte[] clientKey = exported[..keyLength].ToArray();
        byte[] serverKey = exported.Slice(keyLength, keyLength).ToArray();
        byte[] clientSalt = exported.Slice(2 * keyLength, saltLength).ToArray();
        byte[] serverSalt = exported.Slice((2 * keyLength) + saltLength, saltLength).ToArray();

        return localRole == DtlsRole.Client
            ? new SrtpKeyingMaterial(cryptoSuite, clientKey, clientSalt, serverKey, serverSalt)
            : new SrtpKeyingMaterial(cryptoSuite, serverKey, serverSalt, clientKey, clientSalt);
    }
}
