using MediaEngine.Dtls;

namespace MediaEngine.Tests.Dtls;

/// <summary>
/// Connects two transports back to back in memory: whatever one queues for sending is handed to
/// the other, unless <see cref="Filter"/> drops it.
/// </summary>
internal sealed class DtlsWire
{
    private readonly Lock _gate = new();
    private int _forwardedCount;

    public DtlsWire(DtlsTransport client, DtlsTransport server)
    {
        Connect(client, server, towardsServer: true);
        Connect(server, client, towardsServer: false);
    }

    /// <summary>Decides per datagram whether it goes through: (datagram, towardsServer, index of the datagram on the wire).</summary>
    public Func<byte[], bool, int, bool> Filter { get; set; } = (_, _, _) => true;

    private void Connect(DtlsTransport from, DtlsTransport to, bool towardsServer) =>
        from.OutputQueued += () =>
        {
            while (from.TryDequeueOutgoing(out byte[]? datagram))
            {
                // Both DTLS threads forward; one at a time keeps the filter simple and the order intact.
                lock (_gate)
                {
                    if (Filter(datagram, towardsServer, _forwardedCount++))
                    {
                        to.HandleIncoming(datagram);
                    }
                }
            }
        };
}
