using Actors.Rooms;
using Akka.Actor;

namespace Actors.Peers;

/// <summary>
/// One member of a room with a live session, a child of the room: its session sends it the
/// member's requests. It holds the join gate and the token's permissions, decides join and
/// changeDisplayName and answers what needs nothing else (router capabilities, malformed
/// requests); requests about the member's transports, producers, consumers and data channels go
/// on to the room, which routes them to their actors. Its decisions go to the room like every
/// child's; a join the room completes (the answer lists the others, who are told of the newcomer).
/// </summary>
public sealed class PeerActor : RoomChildActor
{
    private readonly IActorRef _session;
    private readonly object _routerRtpCapabilities;
    private PeerStatus _status;

    public PeerActor(PeerStatus status, IActorRef session, object routerRtpCapabilities, IActorRef room) : base(status.PeerId, room)
    {
        _status = status;
        _session = session;
        _routerRtpCapabilities = routerRtpCapabilities;
    }

    public static Props Props(PeerStatus status, IActorRef session, object routerRtpCapabilities, IActorRef room) =>
        FactoryProps.Of(() => new PeerActor(status, session, routerRtpCapabilities, room));

    protected override CommandFailure NotFound() => CommandResult.Error("peer closed");

    protected override void Apply(IRoomEvent e) => _status = _status.Apply(e);

    protected override void Handle(object message)
    {
        switch (message)
        {
            case PeerCommand command:
                OnCommand(command);
                break;
            case PeerDisconnected disconnected:
                Room.Tell(disconnected);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnCommand(PeerCommand command)
    {
        var request = new DelegatedRequest(command.RequestId, command.Request, _session);
        if (_status.Refusal(command.Request) is { } refusal)
        {
            Submit(Reply(request, refusal));
            return;
        }
        switch (command.Request)
        {
            case GetRouterRtpCapabilities:
                Submit(Reply(request, CommandResult.Ok(_routerRtpCapabilities)));
                break;
            case Join join:
                var joining = _status.Join(join, DateTimeOffset.UtcNow);
                if (joining.Refusal is { } notJoined)
                {
                    Submit(Reply(request, CommandResult.Error(notJoined)));
                    break;
                }
                foreach (var e in joining.Events)
                    Apply(e);
                Room.Tell(new PeerJoining((PeerJoined)joining.Events.Single(), request));
                break;
            case ChangeDisplayName change:
                var renaming = _status.Rename(change.DisplayName, DateTimeOffset.UtcNow);
                Submit(renaming.Refusal is { } notRenamed
                    ? Reply(request, CommandResult.Error(notRenamed))
                    : Reply(request, CommandResult.Ok(), renaming.Events));
                break;
            case MalformedRequest malformed:
                Submit(Reply(request, CommandResult.TypeError(malformed.Error)));
                break;
            default:
                Room.Tell(command);
                break;
        }
    }
}

/// <summary>
/// Peer actor → room: the member joins. The room journals <paramref name="Event"/> (the capability
/// set only if it is new to the room), answers <paramref name="Request"/> with the others present,
/// tells them of the newcomer and offers it their media.
/// </summary>
public sealed record PeerJoining(PeerJoined Event, DelegatedRequest Request);
