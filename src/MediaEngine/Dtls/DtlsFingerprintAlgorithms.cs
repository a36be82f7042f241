namespace MediaEngine.Dtls;

public static class DtlsFingerprintAlgorithms
{
    /// <summary>Every algorithm, in the order mediasoup lists the local fingerprints.</summary>
    public static IReadOnlyList<DtlsFingerprintAlgorithm> All { get; } =
    [
        DtlsFingerprintAlgorithm.Sha1,
        DtlsFingerprintAlgorithm.Sha224,
        DtlsFingerprintAlgorithm.Sha256,
        DtlsFingerprintAlgorithm.Sha384,
        DtlsFingerprintAlgorithm.Sha512,
    ];

    /// <summary>The name mediasoup uses on the wire: 'sha-1', 'sha-224', 'sha-256', 'sha-384' or 'sha-512'.</summary>
    public static string ToMediasoupName(this DtlsFingerprintAlgorithm algorithm) => algorithm switch
    {
        DtlsFingerprintAlgorithm.Sha1 => "sha-1",
        DtlsFingerprintAlgorithm.Sha224 => "sha-224",
        DtlsFingerprintAlgorithm.Sha256 => "sha-256",
        DtlsFingerprintAlgorithm.Sha384 => "sha-384",
        DtlsFingerprintAlgorithm.Sha512 => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown fingerprint algorithm."),
    };

    public static bool TryParse(string? name, out DtlsFingerprintAlgorithm algorithm)
    {
        foreach (DtlsFingerprintAlgorithm candidate in All)
        {
            if (candidate.ToMediasoupName() == name)
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = default;
        return false;
    }
}
