using System.Diagnostics;
using MediaEngine.Dtls;

namespace MediaEngine.Tests.Dtls;

internal static class DtlsTestSupport
{
    /// <summary>Generated once: key generation is the slow part and a worker shares one anyway.</summary>
    public static DtlsCertificate ClientCertificate { get; } = DtlsCertificate.Generate();

    public static DtlsCertificate ServerCertificate { get; } = DtlsCertificate.Generate();

    public static DtlsTransportOptions FastOptions { get; } = new()
    {
        HandshakeTimeout = TimeSpan.FromSeconds(3),
        InitialRetransmissionTimeout = TimeSpan.FromMilliseconds(50),
    };

    public static DtlsFingerprint Sha256Of(DtlsCertificate certificate) =>
        certificate.Fingerprints.Single(fingerprint => fingerprint.Algorithm == DtlsFingerprintAlgorithm.Sha256);

    public static void WaitFor(Func<bool> condition, string what, double seconds = 5)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            Thread.Sleep(5);
        }
    }

    public static void WaitForState(DtlsTransport transport, DtlsState state, double seconds = 5) =>
        WaitFor(() => transport.State == state, $"{transport.LocalRole} to be {state.ToMediasoupName()} (is {transport.State.ToMediasoupName()})", seconds);

    public static List<DtlsState> DrainStateChanges(DtlsTransport transport)
    {
        var states = new List<DtlsState>();
        while (transport.TryDequeueStateChange(out DtlsState state))
        {
            states.Add(state);
        }

        return states;
    }
}
