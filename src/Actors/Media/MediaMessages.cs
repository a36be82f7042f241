using Akka.Actor;
using MediaEngine.Workers;

namespace Actors.Media;

/// <summary>Room → media workers: a router for the room on the next worker (round robin).</summary>
/// <param name="OnEvent">Media events of the router (consumer layer changes), raised on the worker thread.</param>
public sealed record CreateRouter(string RoomId, Action<object> OnEvent);

/// <summary>The router and the actor that owns its lifecycle: watch it, stop it to close the router.</summary>
public sealed record RouterCreated(Router Router, IActorRef RouterActor);
