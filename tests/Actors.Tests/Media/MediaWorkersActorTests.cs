using Actors.Media;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using MediaEngine.Consumers;
using MediaEngine.Producers;
using MediaEngine.Transports;
using MediaEngine.Workers;

namespace Actors.Tests.Media;

public sealed class MediaWorkersActorTests() : TestKit(TestConfig.Hocon)
{
    private static readonly MediaEngineSettings Settings = TestConfig.Media with { NumWorkers = 2 };

    [Fact]
    public async Task Routers_are_handed_out_round_robin_and_work_on_their_worker()
    {
        var media = Sys.ActorOf(MediaWorkersActor.Props(Settings));
        var first = await media.Ask<RouterCreated>(new CreateRouter("a", ActorRefs.Nobody));
        var second = await media.Ask<RouterCreated>(new CreateRouter("b", ActorRefs.Nobody));
        Assert.NotEqual(first.Router.WorkerIndex, second.Router.WorkerIndex);

        var transport = await first.Router.CreateWebRtcTransportAsync(new WebRtcTransportOptions(), _ => { });
        Assert.Equal(2, transport.IceCandidates.Count);
        Assert.Equal("new", Assert.IsType<TransportStats>(await first.Router.GetTransportStatsAsync(transport.Id)).IceState);
    }

    [Fact]
    public async Task A_worker_that_fails_takes_its_routers_down_and_comes_back()
    {
        var media = Sys.ActorOf(MediaWorkersActor.Props(Settings with { NumWorkers = 1 }));
        var created = await media.Ask<RouterCreated>(new CreateRouter("a", ActorRefs.Nobody));
        Watch(created.RouterActor);

        var worker = await Sys.ActorSelection(media.Path / "worker-0").ResolveOne(TimeSpan.FromSeconds(3));
        worker.Tell(Kill.Instance);
        ExpectTerminated(created.RouterActor);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => created.Router.CreateWebRtcTransportAsync(new WebRtcTransportOptions(), _ => { }));

        var again = await media.Ask<RouterCreated>(new CreateRouter("a", ActorRefs.Nobody), TimeSpan.FromSeconds(20));
        var transport = await again.Router.CreateWebRtcTransportAsync(new WebRtcTransportOptions(), _ => { });
        Assert.NotEmpty(transport.IceCandidates);
    }

    [Fact]
    public async Task Every_worker_answers_its_metrics_and_a_restarted_one_starts_afresh()
    {
        var media = Sys.ActorOf(MediaWorkersActor.Props(Settings));
        var created = await media.Ask<RouterCreated>(new CreateRouter("a", ActorRefs.Nobody));
        await created.Router.CreateWebRtcTransportAsync(new WebRtcTransportOptions(), _ => { });

        var metrics = await MediaMetrics.GatherAsync(media, TimeSpan.FromSeconds(10));
        Assert.Equal([0, 1], metrics.Select(m => m.WorkerIndex));
        var busy = metrics.Single(m => m.WorkerIndex == created.Router.WorkerIndex);
        Assert.Equal(1, busy.Routers);
        Assert.Equal(1, busy.WebRtcTransports);
        Assert.Equal(0, metrics.Single(m => m.WorkerIndex != created.Router.WorkerIndex).Routers);

        Watch(created.RouterActor);
        var worker = await Sys.ActorSelection(media.Path / $"worker-{created.Router.WorkerIndex}").ResolveOne(TimeSpan.FromSeconds(3));
        worker.Tell(Kill.Instance);
        ExpectTerminated(created.RouterActor);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        IReadOnlyList<WorkerMetrics> after;
        do
            after = await MediaMetrics.GatherAsync(media, TimeSpan.FromSeconds(10));
        while (after.Count < 2 && DateTime.UtcNow < deadline);
        Assert.Equal(0, after.Single(m => m.WorkerIndex == created.Router.WorkerIndex).WebRtcTransports);
    }

    [Fact]
    public async Task A_router_delivers_a_consumers_media_events_to_its_actor_and_the_rest_to_its_owner()
    {
        var media = Sys.ActorOf(MediaWorkersActor.Props(Settings with { NumWorkers = 1 }));
        var owner = CreateTestProbe();
        var consumer = CreateTestProbe();
        var routerActor = (await media.Ask<RouterCreated>(new CreateRouter("a", owner.Ref))).RouterActor;

        routerActor.Tell(new DeliverMediaEvents("c1", consumer.Ref));
        routerActor.Tell(new ConsumerScore("c1", 10, 10, [10]));
        routerActor.Tell(new ConsumerLayersChanged("c1", 0, 1));
        routerActor.Tell(new ConsumerScore("c2", 7, 10, [10]));
        routerActor.Tell(new ProducerScore("p1", []));

        consumer.ExpectMsg<ConsumerScore>(s => s.Score == 10);
        consumer.ExpectMsg<ConsumerLayersChanged>();
        owner.ExpectMsg<ConsumerScore>(s => s.ConsumerId == "c2");
        owner.ExpectMsg<ProducerScore>();

        routerActor.Tell(new StopDeliveringMediaEvents("c1"));
        routerActor.Tell(new ConsumerScore("c1", 5, 10, [10]));
        owner.ExpectMsg<ConsumerScore>(s => s.ConsumerId == "c1");
        consumer.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
