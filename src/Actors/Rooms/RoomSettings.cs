using MediaEngine.Rtp;
using MediaEngine.Transports;
using Akka.Actor;

namespace Actors.Rooms;

/// <param name="RouterRtpCapabilities">Generated once from the configured mediaCodecs.</param>
/// <param name="MediasoupVersion">Announced in the mediasoup-version notification.</param>
/// <param name="SnapshotEvery">A room saves a snapshot of its state every this many events.</param>
/// <param name="NetworkThrottleSecret">Secret of applyNetworkThrottle (env NETWORK_THROTTLE_SECRET); null refuses always.</param>
/// <param name="MediaWorkers">The media actor tree's root (<see cref="Actors.Media.MediaWorkersActor"/>); null where rooms run without media (media requests then fail).</param>
/// <param name="IceConsentTimeout">webRtcTransportOptions.iceConsentTimeout (20 s in mediasoup-demo).</param>
/// <param name="InitialAvailableOutgoingBitrate">webRtcTransportOptions.initialAvailableOutgoingBitrate (1,000,000 in mediasoup-demo).</param>
/// <param name="MaxIncomingBitrate">What mediasoup-demo passes to setMaxIncomingBitrate on every peer's transport (1,500,000); 0: no limit.</param>
/// <param name="RejoinGracePeriod">After a recovery, how long a room waits for its members to reconnect (default 30 s).</param>
public sealed record RoomSettings(
    RtpCapabilities RouterRtpCapabilities,
    string MediasoupVersion = "3.14.16",
    int SnapshotEvery = 100,
    string? NetworkThrottleSecret = null,
    IActorRef? MediaWorkers = null,
    TimeSpan? IceConsentTimeout = null,
    TimeSpan? RejoinGracePeriod = null,
    uint InitialAvailableOutgoingBitrate = Transport.DefaultInitialAvailableOutgoingBitrate,
    uint MaxIncomingBitrate = 0)
{
    /// <summary>What one member may have at once.</summary>
    public MemberLimits MemberLimits { get; init; } = new();

    /// <summary>protoo peers connected to one room at once (server.room.max-peers); one more is refused (503); 0: no limit.</summary>
    public int MaxPeers { get; init; } = 500;

    /// <summary>Rooms open on this server at once (server.max-rooms); a connection that would open one more is refused (503); 0: no limit.</summary>
    public int MaxRooms { get; init; } = 1000;

    /// <summary>Broadcasters of all rooms of this node (server.max-broadcasters); one more is refused (503).</summary>
    public NodeQuota NodeBroadcasters { get; init; } = new(1000);

    /// <summary>Plain transports of all rooms of this node (server.max-plain-transports), each holding RTC ports; one more is refused (503).</summary>
    public NodeQuota NodePlainTransports { get; init; } = new(2000);

    /// <summary>
    /// Rooms are entities of a cluster's shard region (<see cref="ShardedRoomsActor"/>), not children of
    /// a <see cref="RoomManagerActor"/>: a closed room passivates itself, HTTP commands arrive as
    /// <see cref="RoomRequest"/>s (a room that is not open answers 404), and the node's room count is
    /// <see cref="NodeRooms"/>.
    /// </summary>
    public bool Sharded { get; init; }

    /// <summary>Rooms hosted on this node when sharded (server.max-rooms); a connection that would open one more is refused (503).</summary>
    public NodeQuota NodeRooms { get; init; } = new(1000);
}
