using Actors.Peers;
using Akka.Actor;

namespace Actors.Rooms;

/// <summary>
/// Attach a protoo connection as peer <paramref name="PeerId"/> of the room, creating the room
/// if needed. Answered with <see cref="PeerAttached"/> or a <see cref="CommandFailure"/>.
/// </summary>
public sealed record ConnectPeer(
    string RoomId,
    string PeerId,
    int ConsumerReplicas,
    IPeerConnection Connection,
    string? RemoteAddress);

/// <param name="Peer">The peer's session actor: send it <see cref="ClientRequest"/> and friends.</param>
public sealed record PeerAttached(IActorRef Peer);

/// <summary>A command for an existing room (HTTP API). Unknown rooms answer 404.</summary>
public sealed record RoomRequest(string RoomId, object Command);

/// <summary>A peer's command, sent by its session actor; answered with <see cref="PeerCommandResult"/>.</summary>
public sealed record PeerCommand(string PeerId, int RequestId, IPeerRequest Request);

public sealed record PeerCommandResult(int RequestId, CommandResult Result);

/// <summary>The peer's connection is gone (sent by the session actor of that connection).</summary>
public sealed record PeerDisconnected(string PeerId);

/// <summary>Answered with the current <see cref="RoomState"/>.</summary>
public sealed record GetRoomState
{
    public static readonly GetRoomState Instance = new();
}
