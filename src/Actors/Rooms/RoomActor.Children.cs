using Actors.Media;
using Actors.Peers;
using Akka.Actor;

namespace Actors.Rooms;

/// <summary>
/// The room's children (<see cref="RoomChildActor"/>: its transports, producers and consumers, and
/// its members' <see cref="PeerActor"/>s): each owns one live part of the room and decides about
/// it; the room writes their decisions.
/// </summary>
public sealed partial class RoomActor
{
    /// <summary>The live parts' actors, by the part's id.</summary>
    private readonly Dictionary<string, IActorRef> _children = new();

    private void RegisterChildCommands() => Command<ChildDecision>(OnChildDecision);

    /// <summary>Starts the part's actor; the router actor delivers the part's media events to it.</summary>
    private void StartChild(string partId, Props props, string name)
    {
        var child = Context.ActorOf(props, name);
        _children[partId] = child;
        _routerActor?.Tell(new DeliverMediaEvents(partId, child));
    }

    private void ToChild(string partId, object message)
    {
        if (_children.TryGetValue(partId, out var child))
            child.Tell(message);
    }

    /// <summary>The part is gone: its actor answers what it was sent before, then stops.</summary>
    private void StopChild(string partId)
    {
        if (!_children.Remove(partId, out var child))
            return;
        _routerActor?.Tell(new StopDeliveringMediaEvents(partId));
        child.Tell(PoisonPill.Instance);
    }

    /// <summary>A child's events with what they mean for the rest of the room: a producer closes after the consumers of it.</summary>
    private IReadOnlyList<IRoomEvent> WithConsequences(IReadOnlyList<IRoomEvent> events)
    {
        if (!events.Any(e => e is ProducerClosed))
            return events;
        var expanded = new List<IRoomEvent>();
        foreach (var e in events)
        {
            if (e is ProducerClosed closed)
                expanded.AddRange(RoomRules.ConsumersClosedWith(_state, closed.ProducerId, closed.Timestamp));
            expanded.Add(e);
        }
        return expanded;
    }

    /// <summary>
    /// A child's decision: its events written with the room's, then its messages sent. One the room
    /// has stopped meanwhile gets its replies out and nothing else.
    /// </summary>
    private void OnChildDecision(ChildDecision decision)
    {
        if (!Equals(_children.GetValueOrDefault(decision.Of) ?? _peerActors.GetValueOrDefault(decision.Of), Sender))
        {
            foreach (var reply in decision.Messages.Where(m => m.Message is PeerCommandResult or CommandResult))
                Send(reply.To, reply.Message);
            return;
        }
        var events = WithConsequences(decision.Events);
        PersistThen(events, () =>
        {
            NotifyConsumersClosed(events);
            foreach (var renamed in events.OfType<DisplayNameChanged>())
                NotifyJoined("peerDisplayNameChanged",
                    new { peerId = renamed.PeerId, displayName = renamed.DisplayName, oldDisplayName = renamed.OldDisplayName }, except: renamed.PeerId);
            foreach (var change in events.Where(e => e is ProducerPaused or ProducerResumed))
            {
                var producerId = change is ProducerPaused paused ? paused.ProducerId : ((ProducerResumed)change).ProducerId;
                foreach (var (_, consumer) in _state.ConsumersOf(producerId))
                    ToChild(consumer.Id, change);
            }
            foreach (var outgoing in decision.Messages)
                Send(outgoing.To, outgoing.Message);
        });
        if (decision.Closed)
            StopChild(decision.Of);
    }
}
