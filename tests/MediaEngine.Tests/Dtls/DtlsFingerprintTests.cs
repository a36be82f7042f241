using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using MediaEngine.Dtls;

namespace MediaEngine.Tests.Dtls;

public partial class DtlsFingerprintTests
{
    private static readonly DtlsCertificate Certificate = DtlsTestSupport.ServerCertificate;

    [Fact]
    public void Certificate_HasOneFingerprintPerAlgorithm_InMediasoupOrder() =>
        Assert.Equal(
            ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"],
            Certificate.Fingerprints.Select(fingerprint => fingerprint.Algorithm.ToMediasoupName()));

    [Theory]
    [InlineData(DtlsFingerprintAlgorithm.Sha1, 20)]
    [InlineData(DtlsFingerprintAlgorithm.Sha224, 28)]
    [InlineData(DtlsFingerprintAlgorithm.Sha256, 32)]
    [InlineData(DtlsFingerprintAlgorithm.Sha384, 48)]
    [InlineData(DtlsFingerprintAlgorithm.Sha512, 64)]
    public void Fingerprint_IsUpperCaseHexBytesSeparatedByColons(DtlsFingerprintAlgorithm algorithm, int hashLength)
    {
        string value = Certificate.Fingerprints.Single(fingerprint => fingerprint.Algorithm == algorithm).Value;

        Assert.Equal((hashLength * 3) - 1, value.Length);
        Assert.Matches(HexBytesWithColons(), value);
    }

    [Fact]
    public void Sha256Fingerprint_IsTheHashOfTheDerCertificate()
    {
        string expected = string.Join(':', SHA256.HashData(Certificate.Der.Span).Select(value => value.ToString("X2")));

        Assert.Equal(expected, DtlsTestSupport.Sha256Of(Certificate).Value);
    }

    [Fact]
    public void Certificate_IsSelfSignedEcdsaP256()
    {
        using var certificate = X509CertificateLoader.LoadCertificate(Certificate.Der.Span);
        using ECDsa? key = certificate.GetECDsaPublicKey();

        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.Equal("1.2.840.10045.4.3.2", certificate.SignatureAlgorithm.Value);
    }

    [Fact]
    public void Matches_IgnoresHexCase_ButNotTheCertificate()
    {
        DtlsFingerprint fingerprint = DtlsTestSupport.Sha256Of(Certificate);

        Assert.True(fingerprint.Matches(Certificate.Der.Span));
        Assert.True((fingerprint with { Value = fingerprint.Value.ToLowerInvariant() }).Matches(Certificate.Der.Span));
        Assert.False(fingerprint.Matches(DtlsTestSupport.ClientCertificate.Der.Span));
    }

    [Fact]
    public void Generate_MakesADifferentCertificateEachTime() =>
        Assert.NotEqual(
            DtlsTestSupport.Sha256Of(DtlsTestSupport.ClientCertificate).Value,
            DtlsTestSupport.Sha256Of(DtlsTestSupport.ServerCertificate).Value);

    [Theory]
    [InlineData("sha-1", DtlsFingerprintAlgorithm.Sha1)]
    [InlineData("sha-224", DtlsFingerprintAlgorithm.Sha224)]
    [InlineData("sha-256", DtlsFingerprintAlgorithm.Sha256)]
    [InlineData("sha-384", DtlsFingerprintAlgorithm.Sha384)]
    [InlineData("sha-512", DtlsFingerprintAlgorithm.Sha512)]
    public void AlgorithmNames_RoundTrip(string name, DtlsFingerprintAlgorithm algorithm)
    {
        Assert.True(DtlsFingerprintAlgorithms.TryParse(name, out DtlsFingerprintAlgorithm parsed));
        Assert.Equal(algorithm, parsed);
        Assert.Equal(name, algorithm.ToMediasoupName());
    }

    [Theory]
    [InlineData("SHA-256")]
    [InlineData("md5")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownAlgorithmNames_AreRejected(string? name) =>
        Assert.False(DtlsFingerprintAlgorithms.TryParse(name, out _));

    [GeneratedRegex("^[0-9A-F]{2}(:[0-9A-F]{2})*$")]
    private static partial Regex HexBytesWithColons();
}
