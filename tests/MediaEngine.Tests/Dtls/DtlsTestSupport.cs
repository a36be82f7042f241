using MediaEngine.Dtls;

namespace MediaEngine.Tests.Dtls;

internal static class DtlsTestSupport
{
    /// <summary>Generated once: key generation is the slow part and a worker shares one anyway.</summary>
    public static DtlsCertificate ClientCertificate { get; } = DtlsCertificate.Generate();

    public static DtlsCertificate ServerCertificate { get; } = DtlsCertificate.Generate();

    public static DtlsFingerprint Sha256Of(DtlsCertificate certificate) =>
        certificate.Fingerprints.Single(fingerprint => fingerprint.Algorithm == DtlsFingerprintAlgorithm.Sha256);
}
