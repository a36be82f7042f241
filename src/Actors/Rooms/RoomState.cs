using System.Collections.Immutable;
using System.Text.Json;

namespace Actors.Rooms;

public sealed record PeerState(
    string Id,
    bool Joined,
    string? DisplayName,
    JsonElement? Device,
    JsonElement? RtpCapabilities,
    JsonElement? SctpCapabilities,
    string? RemoteAddress,
    DateTimeOffset ConnectedAt)
{
    public ImmutableList<TransportState> Transports { get; init; } = ImmutableList<TransportState>.Empty;

    public TransportState? FindTransport(string transportId) => Transports.Find(t => t.Id == transportId);
}

public sealed record TransportState(string Id, bool ForceTcp, bool Producing, bool Consuming, bool Connected);

public sealed record BroadcasterState(
    string Id,
    string DisplayName,
    JsonElement Device,
    JsonElement? RtpCapabilities,
    DateTimeOffset CreatedAt);

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

    public PeerState? FindPeer(string peerId) => Peers.Find(p => p.Id == peerId);

    public BroadcasterState? FindBroadcaster(string broadcasterId) => Broadcasters.Find(b => b.Id == broadcasterId);

    public IEnumerable<PeerState> JoinedPeers => Peers.Where(p => p.Joined);

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
            RtpCapabilities = e.RtpCapabilities,
            SctpCapabilities = e.SctpCapabilities,
        }),
        DisplayNameChanged e => UpdatePeer(e.PeerId, p => p with { DisplayName = e.DisplayName }),
        PeerLeft e => this with { Peers = Peers.RemoveAll(p => p.Id == e.PeerId) },
        TransportCreated e => UpdatePeer(e.PeerId, p => p with
        {
            Transports = p.Transports.Add(new TransportState(e.TransportId, e.ForceTcp, e.Producing, e.Consuming, false)),
        }),
        TransportConnected e => UpdatePeer(e.PeerId, p => p with
        {
            Transports = p.Transports.Replace(p.FindTransport(e.TransportId)!, p.FindTransport(e.TransportId)! with { Connected = true }),
        }),
        IceRestarted => this,
        TransportClosed e => UpdatePeer(e.PeerId, p => p with { Transports = p.Transports.RemoveAll(t => t.Id == e.TransportId) }),
        BroadcasterCreated e => this with
        {
            Broadcasters = Broadcasters.Add(new BroadcasterState(e.BroadcasterId, e.DisplayName, e.Device, e.RtpCapabilities, e.Timestamp)),
        },
        BroadcasterDeleted e => this with { Broadcasters = Broadcasters.RemoveAll(b => b.Id == e.BroadcasterId) },
        RoomClosed => Empty(RoomId),
        _ => throw new ArgumentException($"unknown room event {roomEvent.GetType().Name}", nameof(roomEvent)),
    };

    private RoomState UpdatePeer(string peerId, Func<PeerState, PeerState> update)
    {
        var index = Peers.FindIndex(p => p.Id == peerId);
        if (index < 0)
            throw new InvalidOperationException($"event for unknown peer \"{peerId}\" in room \"{RoomId}\"");
        return this with { Peers = Peers.SetItem(index, update(Peers[index])) };
    }
}
