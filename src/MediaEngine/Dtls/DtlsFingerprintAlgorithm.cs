namespace MediaEngine.Dtls;

/// <summary>Hash functions a certificate fingerprint may use in <c>dtlsParameters.fingerprints</c>.</summary>
public enum DtlsFingerprintAlgorithm
{
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}
