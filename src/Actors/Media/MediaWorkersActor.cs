using Akka.Actor;
using MediaEngine.Dtls;
using MediaEngine.Workers;

namespace Actors.Media;

/// <summary>
/// The media actor tree's root: one <see cref="WorkerActor"/> per media thread. It hands out
/// routers round robin; the workers' own supervision keeps a failure in one from touching the others.
/// </summary>
public sealed class MediaWorkersActor : ReceiveActor
{
    private readonly List<IActorRef> _workers = new();
    private int _next;

    public MediaWorkersActor(MediaEngineSettings settings)
    {
        var count = settings.NumWorkers > 0 ? settings.NumWorkers : Environment.ProcessorCount;
        DtlsHandshakePool.ConfigureShared(settings.DtlsHandshakeThreads);
        for (var index = 0; index < count; index++)
            _workers.Add(Context.ActorOf(WorkerActor.Props(index, settings), $"worker-{index}"));

        Receive<CreateRouter>(create =>
        {
            var worker = _workers[_next++ % _workers.Count];
            worker.Forward(create);
        });
        Receive<GetMediaWorkers>(_ => Sender.Tell(new MediaWorkerList(_workers.ToList())));
    }

    /// <summary>A failed worker, whatever the failure (even Kill), restarts with a fresh thread and sockets; only its routers are lost.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart);

    public static Props Props(MediaEngineSettings settings) => FactoryProps.Of(() => new MediaWorkersActor(settings));
}
