using Actors.Consumers;
using Actors.Rooms;
using MediaEngine.Consumers;

namespace Actors.Tests.Consumers;

public sealed class ConsumerStatusTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private static readonly ConsumerStatus Offered = new("c1", "bob", "p1", Paused: true, ProducerPaused: false, AwaitingAnswer: true);

    [Fact]
    public void Accepting_the_offer_resumes_the_consumer_once()
    {
        var resumed = Assert.IsType<ConsumerResumed>(Assert.Single(Offered.Accepted(Now)));
        Assert.Equal(("bob", "c1", "newConsumer accepted"), (resumed.PeerId, resumed.ConsumerId, resumed.Reason));

        var after = Offered.Apply(resumed);
        Assert.False(after.Paused);
        Assert.False(after.AwaitingAnswer);
        Assert.Empty(after.Accepted(Now));
        Assert.Empty(after.Refused("late", Now));
    }

    [Fact]
    public void Refusing_the_offer_closes_the_consumer_with_the_reason()
    {
        var closed = Assert.IsType<ConsumerClosed>(Assert.Single(Offered.Refused("request timeout", Now)));
        Assert.Equal("newConsumer refused: request timeout", closed.Reason);
    }

    [Fact]
    public void Pause_and_resume_decide_an_event_only_when_they_change_something()
    {
        var running = Offered with { Paused = false, AwaitingAnswer = false };
        Assert.Empty(running.SetPaused(false, Now));
        var paused = Assert.IsType<ConsumerPaused>(Assert.Single(running.SetPaused(true, Now)));
        Assert.Equal("pauseConsumer", paused.Reason);
        Assert.True(running.Apply(paused).Paused);
        Assert.Empty(running.Apply(paused).SetPaused(true, Now));
        Assert.IsType<ConsumerResumed>(Assert.Single(running.Apply(paused).SetPaused(false, Now)));
    }

    [Fact]
    public void Its_producer_pausing_or_resuming_is_told_once_and_other_producers_are_not_its_business()
    {
        var producerPaused = new ProducerPaused("alice", "p1", Now);
        Assert.Equal("consumerPaused", Offered.ProducerPauseNotification(producerPaused)?.Method);
        var after = Offered.Apply(producerPaused);
        Assert.True(after.ProducerPaused);
        Assert.Null(after.ProducerPauseNotification(producerPaused));
        Assert.Equal("consumerResumed", after.ProducerPauseNotification(new ProducerResumed("alice", "p1", Now))?.Method);
        Assert.Null(Offered.ProducerPauseNotification(new ProducerPaused("alice", "p2", Now)));
        Assert.Equal(Offered, Offered.Apply(new ProducerPaused("alice", "p2", Now)));
    }

    [Fact]
    public void Score_and_layers_notifications_have_mediasoup_demo_shapes()
    {
        Assert.Equal("""{"consumerId":"c1","score":{"score":10,"producerScore":9,"producerScores":[9,0]}}""",
            Offered.ScoreNotification(new ConsumerScore("c1", 10, 9, [9, 0])).Data.ToString());
        Assert.Equal("""{"consumerId":"c1","spatialLayer":1,"temporalLayer":2}""",
            Offered.LayersNotification(new ConsumerLayersChanged("c1", 1, 2)).Data.ToString());
        Assert.Equal("""{"consumerId":"c1"}""", Offered.LayersNotification(new ConsumerLayersChanged("c1", null, null)).Data.ToString());
    }
}
