using System.Text.Json;
using Actors.Media;
using Actors.Peers;
using Actors.Producers;
using Actors.Rooms;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.Transports;

namespace Actors.Tests.Producers;

/// <summary>A producer actor over a real router (a plain-RTP Opus producer), with probes as its room and its owner's session.</summary>
public sealed class ProducerActorTests() : TestKit(TestConfig.Hocon)
{
    private TestProbe? _room;
    private TestProbe? _session;

    private TestProbe Room => _room ??= CreateTestProbe();

    private TestProbe Session => _session ??= CreateTestProbe();

    [Fact]
    public async Task Pausing_decides_an_event_once_and_resuming_another()
    {
        var (router, producerId) = await ProducerOnRouterAsync();
        var producer = Start(router, producerId);
        var client = CreateTestProbe();

        producer.Tell(new DelegatedRequest(1, new ProducerRequest("pauseProducer", producerId), client.Ref));
        producer.Tell(new DelegatedRequest(2, new ProducerRequest("pauseProducer", producerId), client.Ref));
        producer.Tell(new DelegatedRequest(3, new ProducerRequest("resumeProducer", producerId), client.Ref));

        var paused = Room.ExpectMsg<ChildDecision>();
        var pausedEvent = Assert.IsType<ProducerPaused>(Assert.Single(paused.Events));
        Assert.Equal(("alice", producerId), (pausedEvent.PeerId, pausedEvent.ProducerId));
        Assert.Equal(1, ReplyIn(paused, client).RequestId);
        var again = Room.ExpectMsg<ChildDecision>();
        Assert.Empty(again.Events);
        Assert.IsType<CommandSuccess>(ReplyIn(again, client).Result);
        var resumed = Room.ExpectMsg<ChildDecision>();
        Assert.IsType<ProducerResumed>(Assert.Single(resumed.Events));
        Assert.Equal(3, ReplyIn(resumed, client).RequestId);
        Assert.False(resumed.Closed);
    }

    [Fact]
    public async Task Its_stats_come_from_the_router_and_closing_it_closes_it_there()
    {
        var (router, producerId) = await ProducerOnRouterAsync();
        var producer = Start(router, producerId);
        var client = CreateTestProbe();

        producer.Tell(new DelegatedRequest(1, new ProducerRequest("getProducerStats", producerId), client.Ref));
        var stats = ReplyIn(Room.ExpectMsg<ChildDecision>(), client);
        Assert.Contains("\"type\":\"inbound-rtp\"", Assert.IsType<CommandSuccess>(stats.Result).Data!.ToString());

        producer.Tell(new DelegatedRequest(2, new ProducerRequest("closeProducer", producerId), client.Ref));
        var closed = Room.ExpectMsg<ChildDecision>();
        Assert.True(closed.Closed);
        Assert.Equal("closeProducer", Assert.IsType<ProducerClosed>(Assert.Single(closed.Events)).Reason);
        Assert.IsType<CommandSuccess>(ReplyIn(closed, client).Result);
        Assert.Empty(await router.GetProducerStatsAsync(producerId));
    }

    [Fact]
    public async Task Its_score_becomes_its_owners_notification_and_a_broadcasters_goes_nowhere()
    {
        var (router, producerId) = await ProducerOnRouterAsync();
        var producer = Start(router, producerId);

        producer.Tell(new ProducerScore(producerId, [new ProducerStreamScore(0, 1111, null, 9)]));
        var notification = Assert.IsType<NotifyPeer>(Assert.Single(Room.ExpectMsg<ChildDecision>().Messages, m => Equals(m.To, Session.Ref)).Message);
        Assert.Equal("producerScore", notification.Method);
        var data = JsonDocument.Parse(notification.Data.Utf8).RootElement;
        Assert.Equal(producerId, data.GetProperty("producerId").GetString());
        var entry = Assert.Single(data.GetProperty("score").EnumerateArray());
        Assert.Equal((0, 1111u, 9, false), (entry.GetProperty("encodingIdx").GetInt32(), entry.GetProperty("ssrc").GetUInt32(),
            entry.GetProperty("score").GetInt32(), entry.TryGetProperty("rid", out _)));

        var broadcasters = Sys.ActorOf(ProducerActor.Props(new ProducerSpec(producerId, "broadcaster-1", false, ActorRefs.Nobody), router, Room.Ref));
        broadcasters.Tell(new ProducerScore(producerId, [new ProducerStreamScore(0, 1111, null, 9)]));
        Assert.Empty(Room.ExpectMsg<ChildDecision>().Messages);
    }

    private IActorRef Start(IRouterGateway router, string producerId) =>
        Sys.ActorOf(ProducerActor.Props(new ProducerSpec(producerId, "alice", Paused: false, Session.Ref), router, Room.Ref));

    private static PeerCommandResult ReplyIn(ChildDecision decided, TestProbe client) =>
        Assert.IsType<PeerCommandResult>(Assert.Single(decided.Messages, m => Equals(m.To, client.Ref)).Message);

    private async Task<(IRouterGateway Router, string ProducerId)> ProducerOnRouterAsync()
    {
        var (router, producerId, _) = await TestRouters.WithOpusProducerAsync(Sys);
        return (router, producerId);
    }
}
