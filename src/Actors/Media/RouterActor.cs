using Akka.Actor;
using MediaEngine.Workers;

namespace Actors.Media;

/// <summary>Owns a room's router: stopping this actor (or its worker) closes the router and all its transports.</summary>
public sealed class RouterActor : ReceiveActor
{
    private readonly Router _router;

    public RouterActor(Router router)
    {
        _router = router;
    }

    public static Props Props(Router router) => Akka.Actor.Props.Create(() => new RouterActor(router));

    protected override void PostStop() => _ = _router.CloseAsync();
}
