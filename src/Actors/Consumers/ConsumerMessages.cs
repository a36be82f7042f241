using Actors.Peers;
using Akka.Actor;

namespace Actors.Consumers;

/// <summary>
/// What the room starts a consumer actor with, once <see cref="Rooms.ConsumerCreated"/> is decided.
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
