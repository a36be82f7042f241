using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace MediaEngine.Dtls;

/// <summary>
/// The self-signed ECDSA P-256 certificate every DTLS transport of a worker presents, and its
/// fingerprints for the local <c>dtlsParameters</c>. Peers pin it by fingerprint, so its names and
/// validity dates carry no meaning. Generate one per worker and share it; it is immutable.
/// </summary>
public sealed class DtlsCertificate
{
    private readonly byte[] _der;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        _der = der;
        PrivateKey = privateKey;
        Fingerprints = DtlsFingerprintAlgorithms.All.Select(algorithm => DtlsFingerprint.Compute(algorithm, der)).ToArray();
    }

    /// <summary>The DER encoding, as sent in the DTLS Certificate message.</summary>
    public ReadOnlyMemory<byte> Der => _der;

    /// <summary>One fingerprint per algorithm, sha-1 to sha-512, as mediasoup lists them.</summary>
    public IReadOnlyList<DtlsFingerprint> Fingerprints { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    public static DtlsCertificate Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=MediaEngine", key, HashAlgorithmName.SHA256);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return new DtlsCertificate(certificate.RawData, PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
    }

}
