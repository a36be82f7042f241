using MediaEngine.Sctp;

namespace MediaEngine.Tests.Sctp;

/// <summary>
/// Two associations back to back through an in-memory link with a simulated clock. Each packet
/// takes <see cref="Delay"/>; a seeded Random drops, duplicates and delays packets (which
/// reorders them). <see cref="Run"/> advances time from event to event, never sleeping.
/// </summary>
internal sealed class SctpTestLink
{
    private readonly Random _random;
    private readonly PriorityQueue<InFlightPacket, (TimeSpan At, long Sequence)> _inFlight = new();
    private readonly byte[] _buffer = new byte[65536];
    private long _sequence;

    public SctpTestLink(int seed = 1, SctpAssociationOptions? clientOptions = null, SctpAssociationOptions? serverOptions = null)
    {
        _random = new Random(seed);
        Client = new SctpAssociation(clientOptions);
        Server = new SctpAssociation(serverOptions);
    }

    public SctpAssociation Client { get; }

    public SctpAssociation Server { get; }

    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(10);

    public double LossRate { get; set; }

    public double DuplicateRate { get; set; }

    public double ReorderRate { get; set; }

    /// <summary>Drops what a direction would carry when it returns true: (toServer, packet).</summary>
    public Func<bool, byte[], bool>? Filter { get; set; }

    /// <summary>False leaves the server's events queued, as an application that stopped reading.</summary>
    public bool CollectServerEvents { get; set; } = true;

    public List<SctpEvent> ClientEvents { get; } = [];

    public List<SctpEvent> ServerEvents { get; } = [];

    public long PacketsCarried { get; private set; }

    public void Connect()
    {
        Client.Connect(Now);
        Pump();
    }

    /// <summary>Runs until <paramref name="done"/> holds or <paramref name="limit"/> of simulated time passes; returns done.</summary>
    public bool Run(Func<bool> done, TimeSpan limit)
    {
        var end = Now + limit;
        Pump();
        while (!done())
        {
            var next = NextEventTime();
            if (next is null || next > end)
            {
                Now = end;
                return done();
            }

            Now = next.Value > Now ? next.Value : Now;
            Step();
        }

        return true;
    }

    /// <summary>Collects events and carries what both associations queued.</summary>
    public void Pump()
    {
        Drain(Client, ClientEvents, toServer: true);
        Drain(Server, CollectServerEvents ? ServerEvents : null, toServer: false);
    }

    private void Step()
    {
        while (_inFlight.TryPeek(out var packet, out var key) && key.At <= Now)
        {
            _inFlight.Dequeue();
            (packet.ToServer ? Server : Client).HandleIncoming(packet.Bytes, Now);
            Pump();
        }

        if (Client.NextTimeout <= Now)
        {
            Client.HandleTimeout(Now);
        }

        if (Server.NextTimeout <= Now)
        {
            Server.HandleTimeout(Now);
        }

        Pump();
    }

    private TimeSpan? NextEventTime()
    {
        TimeSpan? next = _inFlight.TryPeek(out _, out var key) ? key.At : null;
        foreach (var timeout in new[] { Client.NextTimeout, Server.NextTimeout })
        {
            if (timeout is { } due && (next is null || due < next))
            {
                next = due;
            }
        }

        return next;
    }

    private void Drain(SctpAssociation association, List<SctpEvent>? events, bool toServer)
    {
        while (events is not null && association.TryDequeueEvent(out var sctpEvent))
        {
            events.Add(sctpEvent);
        }

        while (association.TryDequeueOutgoing(_buffer, out int length))
        {
            var bytes = _buffer.AsSpan(0, length).ToArray();
            if (Filter?.Invoke(toServer, bytes) == true || _random.NextDouble() < LossRate)
            {
                continue;
            }

            int copies = _random.NextDouble() < DuplicateRate ? 2 : 1;
            for (int copy = 0; copy < copies; copy++)
            {
                var delay = Delay;
                if (_random.NextDouble() < ReorderRate)
                {
                    delay += TimeSpan.FromMilliseconds(_random.Next(1, 30));
                }

                _inFlight.Enqueue(new InFlightPacket(toServer, bytes), (Now + delay, _sequence++));
                PacketsCarried++;
            }
        }
    }

    private readonly record struct InFlightPacket(bool ToServer, byte[] Bytes);
}
