using System.Diagnostics;
using MediaEngine.Dtls;

namespace SfuHost;

/// <summary>
/// One DTLS handshake between two in-memory endpoints, run when the server starts. After a crash
/// every returning peer handshakes at once, and a cold process spent over a second there
/// JIT-compiling BouncyCastle's TLS and elliptic-curve code (bench/README.md, "kill -9 to media
/// again"); doing it once while the peers are still reconnecting takes that off their path.
/// </summary>
public static class DtlsWarmUp
{
    public static async Task<TimeSpan> RunAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var serverCertificate = DtlsCertificate.Generate();
        var clientCertificate = DtlsCertificate.Generate();
        using var server = new DtlsTransport(serverCertificate);
        using var client = new DtlsTransport(clientCertificate);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connectedCount = 0;

        void Pump(DtlsTransport from, DtlsTransport to)
        {
            lock (from)
            {
                while (from.TryDequeueOutgoing(out var datagram))
                    to.HandleIncoming(datagram);
                while (from.TryDequeueStateChange(out var state))
                {
                    if (state == DtlsState.Connected && Interlocked.Increment(ref connectedCount) == 2)
                        connected.TrySetResult();
                    else if (state is DtlsState.Failed or DtlsState.Closed)
                        connected.TrySetException(new InvalidOperationException($"DTLS warm-up handshake {state}: {from.FailureReason}"));
                }
            }
        }

        server.OutputQueued += () => ThreadPool.QueueUserWorkItem(_ => Pump(server, client));
        client.OutputQueued += () => ThreadPool.QueueUserWorkItem(_ => Pump(client, server));
        server.Start(DtlsRole.Server, Sha256(clientCertificate));
        client.Start(DtlsRole.Client, Sha256(serverCertificate));
        await connected.Task.WaitAsync(timeout);
        return Stopwatch.GetElapsedTime(started);
    }

    private static DtlsFingerprint Sha256(DtlsCertificate certificate) =>
        certificate.Fingerprints.Single(f => f.Algorithm == DtlsFingerprintAlgorithm.Sha256);
}
