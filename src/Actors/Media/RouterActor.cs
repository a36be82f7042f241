using Akka.Actor;
using MediaEngine.Consumers;
using MediaEngine.Producers;
using MediaEngine.Transports;
using MediaEngine.Workers;

namespace Actors.Media;

/// <summary>
/// Owns a room's router: stopping this actor (or its worker) closes the router and all its
/// transports. It also delivers the router's media events, raised on the worker's thread: a
/// consumer's, a producer's or a transport's to the actor registered for it (<see cref="DeliverMediaEvents"/>),
/// everything else (and those raised before that actor is registered) to the router's owner, the room.
/// </summary>
public sealed class RouterActor : ReceiveActor
{
    private readonly Router _router;
    private readonly Dictionary<string, IActorRef> _recipients = new();

    public RouterActor(Router router, IActorRef owner)
    {
        _router = router;
        Receive<DeliverMediaEvents>(deliver => _recipients[deliver.MediaId] = deliver.To);
        Receive<StopDeliveringMediaEvents>(stop => _recipients.Remove(stop.MediaId));
        Receive<ConsumerScore>(score => Deliver(score.ConsumerId, score, owner));
        Receive<ProducerScore>(score => Deliver(score.ProducerId, score, owner));
        Receive<ConsumerLayersChanged>(layers => Deliver(layers.ConsumerId, layers, owner));
        Receive<TransportEvent>(transportEvent => Deliver(transportEvent.TransportId, transportEvent, owner));
        ReceiveAny(owner.Forward);
    }

    public static Props Props(Router router, IActorRef owner) => FactoryProps.Of(() => new RouterActor(router, owner));

    protected override void PostStop() => _ = _router.CloseAsync();

    private void Deliver(string mediaId, object mediaEvent, IActorRef owner) =>
        (_recipients.TryGetValue(mediaId, out var recipient) ? recipient : owner).Tell(mediaEvent);
}
