using Actors.Peers;
using Akka.Actor;

namespace Actors.Rooms;

/// <summary>
/// From a peer's session (its sender): attach it as peer <paramref name="PeerId"/> of the room,
/// creating the room if needed. Answered with <see cref="PeerAttached"/> or a <see cref="CommandFailure"/>.
/// Sent to the session itself first, which passes it on to the room manager.
/// </summary>
/// <param name="Permissions">What its access token allows (produce, consume, data); null: everything (no tokens configured).</param>
public sealed record ConnectPeer(
    string RoomId,
    string PeerId,
    int ConsumerReplicas,
    string? RemoteAddress,
    IReadOnlyList<string>? Permissions = null) : ISessionMessage;

/// <param name="Room">The room, which the session watches: it goes when the room does.</param>
/// <param name="Peer">The member's actor in the room, which the session sends the member's requests.</param>
/// <param name="MediasoupVersion">What the session announces first (the mediasoup-version notification).</param>
public sealed record PeerAttached(IActorRef Room, IActorRef Peer, string MediasoupVersion) : ISessionMessage;

/// <summary>A command for an existing room (HTTP API). Unknown rooms answer 404.</summary>
public sealed record RoomRequest(string RoomId, IRoomCommand Command) : ISessionMessage;

/// <summary>A peer's command, sent by its session actor to its <see cref="PeerActor"/>; answered with <see cref="PeerCommandResult"/>.</summary>
public sealed record PeerCommand(string PeerId, int RequestId, IPeerRequest Request) : ISessionMessage;

public sealed record PeerCommandResult(int RequestId, CommandResult Result) : ISessionMessage;

/// <summary>The peer's connection is gone (sent by the session actor of that connection, through its <see cref="PeerActor"/>).</summary>
public sealed record PeerDisconnected(string PeerId) : ISessionMessage;

/// <summary>Answered with the current <see cref="RoomState"/>.</summary>
public sealed record GetRoomState : IRoomCommand
{
    public static readonly GetRoomState Instance = new();
}
