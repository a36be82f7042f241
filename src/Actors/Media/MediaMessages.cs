using Akka.Actor;
using MediaEngine.Workers;

namespace Actors.Media;

/// <summary>Room → media workers: a router for the room on the next worker (round robin).</summary>
/// <param name="Owner">Where the router's media events go (through its <see cref="RouterActor"/>) unless an actor is registered for them.</param>
public sealed record CreateRouter(string RoomId, IActorRef Owner);

/// <summary>To a <see cref="RouterActor"/>: the media events of the consumer or transport <paramref name="MediaId"/> go to <paramref name="To"/>.</summary>
public sealed record DeliverMediaEvents(string MediaId, IActorRef To);

/// <summary>To a <see cref="RouterActor"/>: the consumer or transport <paramref name="MediaId"/> is gone; its events go to the owner again.</summary>
public sealed record StopDeliveringMediaEvents(string MediaId);

/// <summary>The gateway to the new router and the actor that owns its lifecycle: watch it, stop it to close the router.</summary>
public sealed record RouterCreated(IRouterGateway Router, IActorRef RouterActor);

/// <summary>To <see cref="MediaWorkersActor"/>: answered with <see cref="MediaWorkerList"/>.</summary>
public sealed record GetMediaWorkers
{
    public static readonly GetMediaWorkers Instance = new();
}

/// <summary>The worker actors, by index.</summary>
public sealed record MediaWorkerList(IReadOnlyList<IActorRef> Workers);

/// <summary>To a <see cref="WorkerActor"/>: answered with its worker's <see cref="WorkerMetrics"/>, gathered on the media thread.</summary>
public sealed record GetWorkerMetrics
{
    public static readonly GetWorkerMetrics Instance = new();
}
