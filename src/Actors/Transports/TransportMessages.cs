using Akka.Actor;

namespace Actors.Transports;

/// <summary>What the room starts a WebRTC transport's actor with, once <see cref="Rooms.TransportCreated"/> is decided.</summary>
/// <param name="OwnerId">The peer or broadcaster that created it.</param>
/// <param name="Session">The owner's session (<see cref="ActorRefs.Nobody"/> for a broadcaster, which gets no notifications).</param>
/// <param name="RestartIcePerMinute">restartIce calls allowed within any minute (server.room.member-limits.restart-ice-per-minute).</param>
public sealed record TransportSpec(string TransportId, string OwnerId, IActorRef Session, int RestartIcePerMinute = 30);

/// <summary>
/// Transport → room: ICE disconnected or closed, or DTLS failed or closed, from the remote side.
/// mediasoup-demo closes the whole peer then (protocol.md §1.4); that is the room's to decide.
/// </summary>
public sealed record TransportFailed(string TransportId, string OwnerId, string Detail);
