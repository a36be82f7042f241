using System.Collections.Immutable;
using System.Text.Json;

namespace Actors.Rooms;

public sealed record PeerState(
    string Id,
    bool Joined,
    string? DisplayName,
    JsonElement? Device,
    string? RtpCapabilitiesDigest,
    JsonElement? SctpCapabilities,
    string? RemoteAddress,
    DateTimeOffset ConnectedAt)
{
    public ImmutableList<TransportState> Transports { get; init; } = ImmutableList<TransportState>.Empty;

    public TransportState? FindTransport(string transportId) => Transports.Find(t => t.Id == transportId);

    public ImmutableList<ProducerState> Producers { get; init; } = ImmutableList<ProducerState>.Empty;

    public ImmutableList<ConsumerState> Consumers { get; init; } = ImmutableList<ConsumerState>.Empty;

    public ProducerState? FindProducer(string producerId) => Producers.Find(p => p.Id == producerId);

    public ImmutableList<DataProducerState> DataProducers { get; init; } = ImmutableList<DataProducerState>.Empty;

    public ImmutableList<DataConsumerState> DataConsumers { get; init; } = ImmutableList<DataConsumerState>.Empty;

    public DataProducerState? FindDataProducer(string dataProducerId) => DataProducers.Find(p => p.Id == dataProducerId);

    public DataConsumerState? FindDataConsumer(string dataConsumerId) => DataConsumers.Find(c => c.Id == dataConsumerId);

    public ConsumerState? FindConsumer(string consumerId) => Consumers.Find(c => c.Id == consumerId);
}

public sealed record ProducerState(string Id, string TransportId, string Kind, string Type, bool Paused, JsonElement AppData)
{
    /// <summary>What produce sent (null in a RoomState.v1 snapshot): a broadcaster's producer is restored with it after a restart.</summary>
    public JsonElement? RtpParameters { get; init; }
}

/// <summary>A consumer held by a peer; <see cref="Paused"/> is the consumer's own pause (the producer's is on the producer).</summary>
public sealed record ConsumerState(string Id, string ProducerId, string TransportId, string Kind, string Type, bool Paused)
{
    /// <summary>Its RTP parameters (null when journaled by ConsumerCreated.v1): a broadcaster's plain consumer is restored with them.</summary>
    public JsonElement? RtpParameters { get; init; }
}

public sealed record TransportState(string Id, bool ForceTcp, bool Producing, bool Consuming, bool Connected)
{
    /// <summary>"webrtc", or "plain" for a broadcaster's PlainTransport.</summary>
    public string Type { get; init; } = "webrtc";

    /// <summary>numSctpStreams when the transport has SCTP (DataChannels), else null.</summary>
    public SctpStreamCounts? Sctp { get; init; }

    /// <summary>A plain transport's settings, what it takes to bind it again after a restart; null for WebRTC.</summary>
    public PlainTransportSettings? Plain { get; init; }

    /// <summary>The RTCP CNAME every producer on this transport carries, fixed by its first producer (<see cref="ProducerCname"/>).</summary>
    public string? ProducerCname { get; init; }
}

/// <summary>
/// A plain transport as created and connected: local ports, comedia or the remote given by connect,
/// and the SRTP suites and keys of both sides (null keys: journaled by a v1 event, not restorable with SRTP).
/// </summary>
public sealed record PlainTransportSettings(bool RtcpMux, bool Comedia, int Port, int? RtcpPort, string? SrtpCryptoSuite, string? SrtpKeyBase64)
{
    public string? RemoteIp { get; init; }

    public int? RemotePort { get; init; }

    public int? RemoteRtcpPort { get; init; }

    public string? RemoteSrtpCryptoSuite { get; init; }

    public string? RemoteSrtpKeyBase64 { get; init; }

    public bool Connected { get; init; }
}

public sealed record DataProducerState(string Id, string TransportId, string Label, string Protocol, JsonElement SctpStreamParameters, JsonElement AppData);

public sealed record DataConsumerState(string Id, string DataProducerId, string TransportId, string Label, int StreamId);

public sealed record BroadcasterState(
    string Id,
    string DisplayName,
    JsonElement Device,
    JsonElement? RtpCapabilities,
    DateTimeOffset CreatedAt)
{
    /// <summary>
    /// What the broadcaster owns (transports, producers, consumers, data producers and consumers),
    /// kept as a joined peer's would be, so media events and queries serve peers and broadcasters alike.
    /// </summary>
    public PeerState Media { get; init; } = new(Id, true, DisplayName, Device, null, null, null, CreatedAt);
}

/// <summary>
/// A room as its events describe it. Immutable: <see cref="Apply"/> returns the next state,
/// so the same fold serves the room actor, snapshots and the replay command.
/// </summary>
public sealed record RoomState(
    string RoomId,
    bool Open,
    int ConsumerReplicas,
    ImmutableList<PeerState> Peers,
    ImmutableList<BroadcasterState> Broadcasters)
{
    public static RoomState Empty(string roomId) =>
        new(roomId, false, 0, ImmutableList<PeerState>.Empty, ImmutableList<BroadcasterState>.Empty);

    /// <summary>
    /// Digests of the RTP capability sets this room's journal holds in full (a PeerJoined carried
    /// them), oldest first, at most <see cref="Rooms.RtpCapabilitiesDigest.MaxRemembered"/>.
    /// </summary>
    public ImmutableList<string> RtpCapabilitiesInJournal { get; init; } = ImmutableList<string>.Empty;

    public PeerState? FindPeer(string peerId) => Peers.Find(p => p.Id == peerId);

    public BroadcasterState? FindBroadcaster(string broadcasterId) => Broadcasters.Find(b => b.Id == broadcasterId);

    public IEnumerable<PeerState> JoinedPeers => Peers.Where(p => p.Joined);

    /// <summary>Peers, then broadcasters' media: everyone who can own transports, producers and consumers.</summary>
    public IEnumerable<PeerState> Members => Peers.Concat(Broadcasters.Select(b => b.Media));

    /// <summary>A peer, else a broadcaster's media.</summary>
    public PeerState? FindMember(string id) => FindPeer(id) ?? FindBroadcaster(id)?.Media;

    public RoomState Apply(IRoomEvent roomEvent) => roomEvent switch
    {
        RoomCreated e => Empty(e.RoomId) with { Open = true, ConsumerReplicas = e.ConsumerReplicas },
        PeerConnected e => this with
        {
            Peers = Peers.Add(new PeerState(e.PeerId, false, null, null, null, null, e.RemoteAddress, e.Timestamp)),
        },
        PeerJoined e => UpdatePeer(e.PeerId, p => p with
        {
            Joined = true,
            DisplayName = e.DisplayName,
            Device = e.Device,
            RtpCapabilitiesDigest = e.RtpCapabilitiesDigest,
            SctpCapabilities = e.SctpCapabilities,
        }).WithRtpCapabilitiesInJournal(e),
        DisplayNameChanged e => UpdatePeer(e.PeerId, p => p with { DisplayName = e.DisplayName }),
        PeerLeft e => WithoutPeer(e.PeerId),
        RoomRecovered => this,
        PeerRejoined e => WithoutPeer(e.PeerId).WithPeer(new PeerState(e.PeerId, false, null, null, null, null, e.RemoteAddress, e.Timestamp)),
        TransportCreated e => UpdatePeer(e.PeerId, p => p with
        {
            Transports = p.Transports.Add(new TransportState(e.TransportId, e.ForceTcp, e.Producing, e.Consuming, false) { Sctp = e.Sctp }),
        }),
        TransportConnected e => UpdatePeer(e.PeerId, p => p.FindTransport(e.TransportId) is { } transport
            ? p with { Transports = p.Transports.Replace(transport, transport with { Connected = true }) }
            : p),
        PlainTransportCreated e => UpdatePeer(e.PeerId, p => p with
        {
            Transports = p.Transports.Add(new TransportState(e.TransportId, false, true, true, false)
            {
                Type = "plain",
                Plain = new PlainTransportSettings(e.RtcpMux, e.Comedia, e.Port, e.RtcpPort, e.SrtpCryptoSuite, e.SrtpKeyBase64),
            }),
        }),
        PlainTransportConnected e => UpdatePeer(e.PeerId, p => p.FindTransport(e.TransportId) is { } transport
            ? p with
            {
                Transports = p.Transports.Replace(transport, transport with
                {
                    Connected = true,
                    Plain = transport.Plain is { } plain
                        ? plain with
                        {
                            Connected = true,
                            RemoteIp = e.Ip,
                            RemotePort = e.Port,
                            RemoteRtcpPort = e.RtcpPort,
                            RemoteSrtpCryptoSuite = e.SrtpCryptoSuite,
                            RemoteSrtpKeyBase64 = e.SrtpKeyBase64,
                            SrtpCryptoSuite = e.LocalSrtpCryptoSuite ?? plain.SrtpCryptoSuite,
                            // A v1 event had no keys: ours may have changed at connect, so the ones of before are unknown.
                            SrtpKeyBase64 = e.LocalSrtpKeyBase64 ?? (e.SrtpCryptoSuite is null ? plain.SrtpKeyBase64 : null),
                        }
                        : null,
                }),
            }
            : p),
        PlainTransportRestored => this,
        IceRestarted => this,
        TransportClosed e => WithoutTransport(e.PeerId, e.TransportId),
        ProducerCreated e => UpdatePeer(e.PeerId, p => p with
        {
            Producers = p.Producers.Add(new ProducerState(e.ProducerId, e.TransportId, e.Kind, e.Type, e.Paused, e.AppData) { RtpParameters = e.RtpParameters }),
            Transports = p.FindTransport(e.TransportId) is { ProducerCname: null } transport
                && Rooms.ProducerCname.Of(e.RtpParameters) is { } cname
                ? p.Transports.Replace(transport, transport with { ProducerCname = cname })
                : p.Transports,
        }),
        ProducerPaused e => UpdateProducer(e.PeerId, e.ProducerId, paused: true),
        ProducerResumed e => UpdateProducer(e.PeerId, e.ProducerId, paused: false),
        ProducerClosed e => WithoutProducers(e.PeerId, [e.ProducerId]),
        ConsumerCreated e => UpdatePeer(e.PeerId, p => p with
        {
            Consumers = p.Consumers.Add(new ConsumerState(e.ConsumerId, e.ProducerId, e.TransportId, e.Kind, e.Type, e.Paused) { RtpParameters = e.RtpParameters }),
        }),
        ConsumerPaused e => UpdateConsumer(e.PeerId, e.ConsumerId, paused: true),
        ConsumerResumed e => UpdateConsumer(e.PeerId, e.ConsumerId, paused: false),
        ConsumerClosed e => UpdatePeer(e.PeerId, p => p with { Consumers = p.Consumers.RemoveAll(c => c.Id == e.ConsumerId) }),
        DataProducerCreated e => UpdatePeer(e.PeerId, p => p with
        {
            DataProducers = p.DataProducers.Add(new DataProducerState(e.DataProducerId, e.TransportId, e.Label, e.Protocol, e.SctpStreamParameters, e.AppData)),
        }),
        DataProducerClosed e => WithoutDataProducers(e.PeerId, [e.DataProducerId]),
        DataConsumerCreated e => UpdatePeer(e.PeerId, p => p with
        {
            DataConsumers = p.DataConsumers.Add(new DataConsumerState(e.DataConsumerId, e.DataProducerId, e.TransportId, e.Label, e.StreamId)),
        }),
        DataConsumerClosed e => UpdatePeer(e.PeerId, p => p with { DataConsumers = p.DataConsumers.RemoveAll(c => c.Id == e.DataConsumerId) }),
        BroadcasterCreated e => this with
        {
            Broadcasters = Broadcasters.Add(new BroadcasterState(e.BroadcasterId, e.DisplayName, e.Device, e.RtpCapabilities, e.Timestamp)),
        },
        BroadcasterDeleted e => WithoutBroadcaster(e.BroadcasterId),
        RoomClosed => Empty(RoomId),
        _ => throw new ArgumentException($"unknown room event {roomEvent.GetType().Name}", nameof(roomEvent)),
    };

    /// <summary>Whoever consumes the producer: (consumer's peer, consumer).</summary>
    public IEnumerable<(PeerState Peer, ConsumerState Consumer)> ConsumersOf(string producerId) =>
        Members.SelectMany(p => p.Consumers.Where(c => c.ProducerId == producerId).Select(c => (p, c)));

    public (PeerState Peer, ProducerState Producer)? FindProducerAnywhere(string producerId) =>
        Members.Select(p => (p, p.FindProducer(producerId))).Where(pair => pair.Item2 is not null)
            .Select(pair => ((PeerState, ProducerState)?)(pair.p, pair.Item2!)).FirstOrDefault();

    private RoomState UpdateProducer(string peerId, string producerId, bool paused) => UpdatePeer(peerId, p => p with
    {
        Producers = p.Producers.Select(x => x.Id == producerId ? x with { Paused = paused } : x).ToImmutableList(),
    });

    private RoomState UpdateConsumer(string peerId, string consumerId, bool paused) => UpdatePeer(peerId, p => p with
    {
        Consumers = p.Consumers.Select(x => x.Id == consumerId ? x with { Paused = paused } : x).ToImmutableList(),
    });

    /// <summary>Removes producers and, everywhere, the consumers of them.</summary>
    private RoomState WithoutProducers(string peerId, IReadOnlyCollection<string> producerIds)
    {
        if (producerIds.Count == 0)
            return this;
        PeerState Clear(PeerState p) => p with
        {
            Producers = p.Id == peerId ? p.Producers.RemoveAll(x => producerIds.Contains(x.Id)) : p.Producers,
            Consumers = p.Consumers.RemoveAll(c => producerIds.Contains(c.ProducerId)),
        };
        return WithEveryMember(Clear);
    }

    /// <summary>Removes data producers and, everywhere, the data consumers of them.</summary>
    private RoomState WithoutDataProducers(string peerId, IReadOnlyCollection<string> dataProducerIds)
    {
        if (dataProducerIds.Count == 0)
            return this;
        PeerState Clear(PeerState p) => p with
        {
            DataProducers = p.Id == peerId ? p.DataProducers.RemoveAll(x => dataProducerIds.Contains(x.Id)) : p.DataProducers,
            DataConsumers = p.DataConsumers.RemoveAll(c => dataProducerIds.Contains(c.DataProducerId)),
        };
        return WithEveryMember(Clear);
    }

    public IEnumerable<(PeerState Peer, DataConsumerState DataConsumer)> DataConsumersOf(string dataProducerId) =>
        Members.SelectMany(p => p.DataConsumers.Where(c => c.DataProducerId == dataProducerId).Select(c => (p, c)));

    /// <summary>A peer goes with everything it had, and the consumers of its producers.</summary>
    private RoomState WithoutPeer(string peerId)
    {
        var cleared = WithoutProducers(peerId, FindPeer(peerId)?.Producers.Select(p => p.Id).ToList() ?? [])
            .WithoutDataProducers(peerId, FindPeer(peerId)?.DataProducers.Select(p => p.Id).ToList() ?? []);
        return cleared with { Peers = cleared.Peers.RemoveAll(p => p.Id == peerId) };
    }

    /// <summary>A broadcaster goes with everything it had, and the consumers of its producers.</summary>
    private RoomState WithoutBroadcaster(string broadcasterId)
    {
        var media = FindBroadcaster(broadcasterId)?.Media;
        var cleared = WithoutProducers(broadcasterId, media?.Producers.Select(p => p.Id).ToList() ?? [])
            .WithoutDataProducers(broadcasterId, media?.DataProducers.Select(p => p.Id).ToList() ?? []);
        return cleared with { Broadcasters = cleared.Broadcasters.RemoveAll(b => b.Id == broadcasterId) };
    }

    private RoomState WithEveryMember(Func<PeerState, PeerState> update) => this with
    {
        Peers = Peers.Select(update).ToImmutableList(),
        Broadcasters = Broadcasters.Select(b => b with { Media = update(b.Media) }).ToImmutableList(),
    };

    /// <summary>A transport goes with its producers (and their consumers) and its consumers.</summary>
    private RoomState WithoutTransport(string peerId, string transportId)
    {
        var peer = FindMember(peerId);
        if (peer is null)
            return this;
        var cleared = WithoutProducers(peerId, peer.Producers.Where(p => p.TransportId == transportId).Select(p => p.Id).ToList())
            .WithoutDataProducers(peerId, peer.DataProducers.Where(p => p.TransportId == transportId).Select(p => p.Id).ToList());
        return cleared.UpdatePeer(peerId, p => p with
        {
            Transports = p.Transports.RemoveAll(t => t.Id == transportId),
            Consumers = p.Consumers.RemoveAll(c => c.TransportId == transportId),
            DataConsumers = p.DataConsumers.RemoveAll(c => c.TransportId == transportId),
        });
    }

    private RoomState WithPeer(PeerState peer) => this with { Peers = Peers.Add(peer) };

    private RoomState WithRtpCapabilitiesInJournal(PeerJoined joined)
    {
        if (joined is not { RtpCapabilities: not null, RtpCapabilitiesDigest: { } digest } || RtpCapabilitiesInJournal.Contains(digest))
            return this;
        var remembered = RtpCapabilitiesInJournal.Add(digest);
        return this with
        {
            RtpCapabilitiesInJournal = remembered.Count > Rooms.RtpCapabilitiesDigest.MaxRemembered ? remembered.RemoveAt(0) : remembered,
        };
    }

    /// <summary>
    /// Updates a peer, or the media of the broadcaster with that id. An event about a peer (or
    /// transport) that is gone changes nothing: a media call can finish after its peer left, and
    /// its event is journaled after the departure. Throwing here would crash the room and then
    /// fail every replay of its journal.
    /// </summary>
    private RoomState UpdatePeer(string peerId, Func<PeerState, PeerState> update)
    {
        var index = Peers.FindIndex(p => p.Id == peerId);
        if (index < 0 && Broadcasters.FindIndex(b => b.Id == peerId) is var broadcaster and >= 0)
            return this with { Broadcasters = Broadcasters.SetItem(broadcaster, Broadcasters[broadcaster] with { Media = update(Broadcasters[broadcaster].Media) }) };
        return index < 0 ? this : this with { Peers = Peers.SetItem(index, update(Peers[index])) };
    }
}
