using System.Text.Json;
using Actors.Consumers;
using Actors.Media;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.Transports;

namespace Actors.Tests.Consumers;

/// <summary>A consumer actor over a real router (a plain-RTP producer and a plain consumer), with probes as its room and its peer's session.</summary>
public sealed class ConsumerActorTests() : TestKit(TestConfig.Hocon)
{
    private TestProbe? _room;
    private TestProbe? _session;

    private TestProbe Room => _room ??= CreateTestProbe();

    private TestProbe Session => _session ??= CreateTestProbe();

    [Fact]
    public async Task It_offers_itself_to_its_peer_and_is_resumed_when_accepted()
    {
        var (router, consumerId) = await ConsumerOnRouterAsync();
        var consumer = Start(router, consumerId, offer: JsonData.Of(new { id = consumerId }));

        var offered = Room.ExpectMsg<ChildDecision>();
        Assert.Empty(offered.Events);
        var request = Assert.IsType<RequestPeer>(Assert.Single(offered.Messages, m => Equals(m.To, Session.Ref)).Message);
        Assert.Equal(("newConsumer", consumerId), (request.Method, request.Correlation));

        consumer.Tell(new PeerRequestResult("newConsumer", true, null, null, null, consumerId));
        var accepted = Room.ExpectMsg<ChildDecision>();
        Assert.Equal("newConsumer accepted", Assert.IsType<ConsumerResumed>(Assert.Single(accepted.Events)).Reason);
        Assert.False(accepted.Closed);
        var stats = await router.GetConsumerStatsAsync(consumerId);
        Assert.NotEmpty(stats);
    }

    [Fact]
    public async Task A_refused_offer_closes_it()
    {
        var (router, consumerId) = await ConsumerOnRouterAsync();
        var consumer = Start(router, consumerId, offer: JsonData.Of(new { id = consumerId }));
        Room.ExpectMsg<ChildDecision>();

        consumer.Tell(new PeerRequestResult("newConsumer", false, null, 408, "request timeout", consumerId));
        var refused = Room.ExpectMsg<ChildDecision>();
        Assert.True(refused.Closed);
        Assert.Equal("newConsumer refused: request timeout", Assert.IsType<ConsumerClosed>(Assert.Single(refused.Events)).Reason);
    }

    [Fact]
    public async Task Pausing_decides_an_event_once_and_every_request_is_answered()
    {
        var (router, consumerId) = await ConsumerOnRouterAsync();
        var consumer = Start(router, consumerId, offer: null);
        var client = CreateTestProbe();

        consumer.Tell(new DelegatedRequest(1, new ConsumerRequest("pauseConsumer", consumerId), client.Ref));
        consumer.Tell(new DelegatedRequest(2, new ConsumerRequest("pauseConsumer", consumerId), client.Ref));
        consumer.Tell(new DelegatedRequest(3, new SetConsumerPriority(consumerId, 2), client.Ref));
        consumer.Tell(new DelegatedRequest(4, new ConsumerRequest("getConsumerStats", consumerId), client.Ref));

        var first = Room.ExpectMsg<ChildDecision>();
        Assert.Equal("pauseConsumer", Assert.IsType<ConsumerPaused>(Assert.Single(first.Events)).Reason);
        Assert.Equal(1, ReplyIn(first, client).RequestId);
        var second = Room.ExpectMsg<ChildDecision>();
        Assert.Empty(second.Events);
        Assert.IsType<CommandSuccess>(ReplyIn(second, client).Result);
        Assert.IsType<CommandSuccess>(ReplyIn(Room.ExpectMsg<ChildDecision>(), client).Result);
        var stats = ReplyIn(Room.ExpectMsg<ChildDecision>(), client);
        Assert.Equal(4, stats.RequestId);
        Assert.Contains("\"type\":\"outbound-rtp\"", Assert.IsType<CommandSuccess>(stats.Result).Data!.ToString());
    }

    [Fact]
    public async Task Requests_it_had_not_finished_when_closed_are_answered_not_dropped()
    {
        var (router, consumerId) = await ConsumerOnRouterAsync();
        var everything = CreateTestProbe();
        var consumer = Sys.ActorOf(ConsumerActor.Props(new ConsumerSpec(consumerId, "bob", "p1", false, false, everything.Ref, null), router, everything.Ref));

        consumer.Tell(new DelegatedRequest(1, new ConsumerRequest("getConsumerStats", consumerId), everything.Ref));
        consumer.Tell(new DelegatedRequest(2, new ConsumerRequest("requestConsumerKeyFrame", consumerId), everything.Ref));
        consumer.Tell(PoisonPill.Instance);

        // Each is answered once: through the room if its call finished before the stop, else directly, as not found.
        var answers = everything.ReceiveN(2).Select(m => m switch
        {
            ChildDecision decided => Assert.IsType<PeerCommandResult>(Assert.Single(decided.Messages).Message),
            _ => Assert.IsType<PeerCommandResult>(m),
        }).ToList();
        Assert.Equal([1, 2], answers.Select(a => a.RequestId));
        var notFound = $"consumer with id \"{consumerId}\" not found";
        Assert.All(answers, a => Assert.True(a.Result is CommandSuccess || (a.Result as CommandFailure)?.Message == notFound, a.Result.ToString()));
        everything.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Its_producer_pausing_is_told_to_its_peer_and_media_events_become_notifications()
    {
        var (router, consumerId) = await ConsumerOnRouterAsync();
        var consumer = Start(router, consumerId, offer: null);

        consumer.Tell(new ProducerPaused("alice", "p1", DateTimeOffset.UtcNow));
        Assert.Equal("consumerPaused", NotificationIn(Room.ExpectMsg<ChildDecision>()).Method);
        consumer.Tell(new MediaEngine.Consumers.ConsumerScore(consumerId, 10, 8, [8]));
        var score = NotificationIn(Room.ExpectMsg<ChildDecision>());
        Assert.Equal("consumerScore", score.Method);
        Assert.Equal(8, JsonDocument.Parse(score.Data.Utf8).RootElement.GetProperty("score").GetProperty("producerScore").GetInt32());
    }

    private IActorRef Start(IRouterGateway router, string consumerId, JsonData? offer) =>
        Sys.ActorOf(ConsumerActor.Props(new ConsumerSpec(consumerId, "bob", "p1", Paused: offer is not null, ProducerPaused: false, Session.Ref, offer),
            router, Room.Ref));

    private static PeerCommandResult ReplyIn(ChildDecision decided, TestProbe client) =>
        Assert.IsType<PeerCommandResult>(Assert.Single(decided.Messages, m => Equals(m.To, client.Ref)).Message);

    private NotifyPeer NotificationIn(ChildDecision decided) =>
        Assert.IsType<NotifyPeer>(Assert.Single(decided.Messages, m => Equals(m.To, Session.Ref)).Message);

    /// <summary>A router with an Opus producer on one plain transport and a consumer of it on another.</summary>
    private async Task<(IRouterGateway Router, string ConsumerId)> ConsumerOnRouterAsync()
    {
        var (router, producerId, consumable) = await TestRouters.WithOpusProducerAsync(Sys);
        var egress = await router.CreatePlainTransportAsync(new PlainTransportOptions(), _ => { });
        var consumerParameters = Ortc.GetConsumerRtpParameters(consumable, TestConfig.Settings().RouterRtpCapabilities, enableRtx: false);
        consumerParameters.Mid = "0";
        var consumerId = await router.CreateConsumerAsync(egress.Id, producerId, consumerParameters, paused: false);
        return (router, consumerId);
    }
}
