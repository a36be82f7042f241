using Akka.Actor;

namespace Actors.Producers;

/// <summary>What the room starts a producer actor with, once <see cref="Rooms.ProducerCreated"/> is written (or a broadcaster's producer is restored).</summary>
/// <param name="OwnerId">The producing peer or broadcaster.</param>
/// <param name="Session">The owner's session (<see cref="ActorRefs.Nobody"/> for a broadcaster's producer, which gets no notifications).</param>
public sealed record ProducerSpec(string ProducerId, string OwnerId, bool Paused, IActorRef Session);
