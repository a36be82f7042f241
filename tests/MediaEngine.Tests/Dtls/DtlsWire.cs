using MediaEngine.Dtls;

namespace MediaEngine.Tests.Dtls;

/// <summary>
/// Connects two transports back to back in memory: whatever one queues for sending is handed to
/// the other, unless <see cref="Filter"/> drops it. The handshake threads pump on their own; after
/// the handshake, output appears only during a call, so tests call <see cref="Pump"/> after theirs.
/// </summary>
internal sealed class DtlsWire
{
    private readonly Lock _gate = new();
    private readonly DtlsTransport _client;
    private readonly DtlsTransport _server;
    private int _forwardedCount;

    public DtlsWire(DtlsTransport client, DtlsTransport server)
    {
        _client = client;
        _server = server;
        client.OutputQueued += Pump;
        server.OutputQueued += Pump;
    }

    /// <summary>Decides per datagram whether it goes through: (datagram, towardsServer, index of the datagram on the wire).</summary>
    public Func<byte[], bool, int, bool> Filter { get; set; } = (_, _, _) => true;

    /// <summary>
    /// Moves datagrams both ways until neither side has any left, since a datagram received after the
    /// handshake may be answered at once (close_notify, a retransmitted flight).
    /// </summary>
    public void Pump()
    {
        // Threads of both sides pump; one at a time keeps the filter simple and the order intact.
        lock (_gate)
        {
            while (Forward(_client, _server, towardsServer: true) | Forward(_server, _client, towardsServer: false))
            {
            }
        }
    }

    private bool Forward(DtlsTransport from, DtlsTransport to, bool towardsServer)
    {
        bool moved = false;
        while (from.TryDequeueOutgoing(out byte[]? datagram))
        {
            moved = true;
            if (Filter(datagram, towardsServer, _forwardedCount++))
            {
                to.HandleIncoming(datagram);
            }
        }

        return moved;
    }
}
