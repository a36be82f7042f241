using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;

namespace Actors.Consumers;

/// <summary>
/// What the room starts a consumer actor with, once <see cref="ConsumerCreated"/> is decided.
/// </summary>
/// <param name="Session">The consuming peer's session (<see cref="ActorRefs.Nobody"/> for a broadcaster's consumer, which gets no notifications).</param>
/// <param name="Offer">newConsumer's data, when the peer must accept the consumer before it is resumed; null when it starts as it is.</param>
public sealed record ConsumerSpec(
    string ConsumerId,
    string PeerId,
    string ProducerId,
    bool Paused,
    bool ProducerPaused,
    IActorRef Session,
    JsonData? Offer);

/// <summary>Room → consumer: a request of the consuming peer about this consumer, to be answered to <paramref name="ReplyTo"/>.</summary>
public sealed record ConsumerCommand(int RequestId, IPeerRequest Request, IActorRef ReplyTo);

/// <summary>A message the room sends on a consumer's behalf once the events decided with it are written.</summary>
public sealed record Outgoing(IActorRef To, ISessionMessage Message);

/// <summary>
/// Consumer → room: what it decided. The room, the only writer of the room's stream, persists
/// <paramref name="Events"/> in order with everything else it decides, applies them, then sends
/// <paramref name="Messages"/>; with <paramref name="Closed"/>, the consumer is gone and the room stops its actor.
/// </summary>
public sealed record ConsumerDecided(string ConsumerId, IReadOnlyList<IRoomEvent> Events, IReadOnlyList<Outgoing> Messages, bool Closed = false);
