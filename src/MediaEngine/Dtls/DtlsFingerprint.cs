using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace MediaEngine.Dtls;

/// <summary>
/// A certificate fingerprint as carried in <c>dtlsParameters.fingerprints</c> (RFC 8122): the hash of
/// the DER-encoded certificate, written like mediasoup as upper-case hex bytes separated by ':'.
/// </summary>
public sealed record DtlsFingerprint(DtlsFingerprintAlgorithm Algorithm, string Value)
{
    public static DtlsFingerprint Compute(DtlsFingerprintAlgorithm algorithm, ReadOnlySpan<byte> certificateDer)
    {
        IDigest digest = CreateDigest(algorithm);
        digest.BlockUpdate(certificateDer);
        Span<byte> hash = stackalloc byte[digest.GetDigestSize()];
        digest.DoFinal(hash);
        return new DtlsFingerprint(algorithm, Format(hash));
    }

    /// <summary>Whether <paramref name="certificateDer"/> hashes to this fingerprint; hex case is not significant.</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer) =>
        string.Equals(Compute(Algorithm, certificateDer).Value, Value, StringComparison.OrdinalIgnoreCase);

    private static IDigest CreateDigest(DtlsFingerprintAlgorithm algorithm) => algorithm switch
    {
        DtlsFingerprintAlgorithm.Sha1 => new Sha1Digest(),
        DtlsFingerprintAlgorithm.Sha224 => new Sha224Digest(),
        DtlsFingerprintAlgorithm.Sha256 => new Sha256Digest(),
        DtlsFingerprintAlgorithm.Sha384 => new Sha384Digest(),
        DtlsFingerprintAlgorithm.Sha512 => new Sha512Digest(),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown fingerprint algorithm."),
    };

    private static string Format(ReadOnlySpan<byte> hash)
    {
        var text = new StringBuilder(hash.Length * 3);
        foreach (byte value in hash)
        {
            if (text.Length > 0)
            {
                text.Append(':');
            }

            text.Append(value.ToString("X2"));
        }

        return text.ToString();
    }
}
