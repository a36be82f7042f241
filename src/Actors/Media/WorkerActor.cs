using Akka.Actor;
using Akka.Event;
using MediaEngine.Workers;

namespace Actors.Media;

/// <summary>
/// Lifecycle of one media thread: the worker (its thread, sockets and DTLS certificate) lives as
/// long as this actor; a restart replaces it and takes its routers down with it, so their rooms
/// learn of it (they watch their router) and start over on a fresh router.
/// </summary>
public sealed class WorkerActor : ReceiveActor
{
    private readonly int _index;
    private readonly MediaEngineSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private MediaWorker? _worker;

    public WorkerActor(int index, MediaEngineSettings settings)
    {
        _index = index;
        _settings = settings;
        Receive<CreateRouter>(create =>
        {
            var events = new MediaEventTarget();
            var router = _worker!.CreateRouter(events.Tell);
            events.To = Context.ActorOf(RouterActor.Props(router, create.Owner), $"router-{router.Id}");
            Sender.Tell(new RouterCreated(new RouterGateway(router), events.To));
        });
        Receive<GetWorkerMetrics>(_ => _worker!.GetMetricsAsync().PipeTo(Sender));
    }

    public static Props Props(int index, MediaEngineSettings settings) => FactoryProps.Of(() => new WorkerActor(index, settings));

    protected override void PreStart()
    {
        _worker = new MediaWorker(_index, _settings);
        _worker.Worker.OnHandlerError = error => _log.Warning("media worker {0}: {1}", _index, error.Message);
        _log.Info("media worker {0} started{1}", _index,
            _worker.SharedServer is { } server ? $" (WebRtcServer udp:{server.UdpPort} tcp:{server.TcpPort})" : "");
    }

    protected override void PostStop()
    {
        _worker?.Dispose();
        _worker = null;
    }
}

/// <summary>The router's event callback, raised on the worker's thread: its router actor, set once that exists (before anything can raise an event).</summary>
internal sealed class MediaEventTarget
{
    private volatile IActorRef _to = ActorRefs.Nobody;

    public IActorRef To
    {
        get => _to;
        set => _to = value;
    }

    public void Tell(object mediaEvent) => _to.Tell(mediaEvent);
}
