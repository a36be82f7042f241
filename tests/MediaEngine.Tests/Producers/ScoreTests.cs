using MediaEngine.Consumers;
using MediaEngine.Producers;

namespace MediaEngine.Tests.Producers;

/// <summary>producerScore / consumerScore as mediasoup computes and emits them.</summary>
public sealed class ScoreTests
{
    private const uint Ssrc = 1111;

    [Fact]
    public async Task A_new_stream_is_announced_with_score_10_and_losses_over_a_sender_report_interval_lower_it()
    {
        using var media = await MediaHarness.StartAsync();
        await media.OnWorker(() => media.Sending.Receive(MediaHarness.Vp8(Ssrc, 0, 0, keyFrame: true, fill: 0)));
        var first = Assert.Single(await media.OnWorker(() => media.Events.OfType<ProducerScore>().ToList()));
        Assert.Equal([new ProducerStreamScore(0, Ssrc, null, 10)], first.Scores);
        var consumerFirst = Assert.Single(await media.OnWorker(() => media.Events.OfType<ConsumerScore>().ToList()));
        Assert.Equal((10, 10), (consumerFirst.Score, consumerFirst.ProducerScore));
        Assert.Equal([10], consumerFirst.ProducerScores);

        // 1 in 4 lost and never repaired (no RTX arrives): the next sender report rescores the stream.
        await media.OnWorker(() =>
        {
            for (ushort seq = 1; seq <= 200; seq++)
            {
                if (seq % 4 != 0)
                    media.Sending.Receive(MediaHarness.Vp8(Ssrc, seq, seq * 30u, keyFrame: false, fill: 1));
            }
            media.Sending.Receive(MediaHarness.SenderReport(Ssrc));
        });

        var events = await media.OnWorker(() => media.Events.OfType<ProducerScore>().ToList());
        Assert.Equal(2, events.Count);
        var lowered = Assert.Single(events[1].Scores).Score;
        Assert.InRange(lowered, 1, 9);
        var consumerScore = (await media.OnWorker(() => media.Events.OfType<ConsumerScore>().ToList()))[^1];
        Assert.Equal(lowered, consumerScore.ProducerScore);
        Assert.Equal([lowered], consumerScore.ProducerScores);
        Assert.Equal(lowered, await media.OnWorker(() => (int)media.Producer.Streams[0].Receiver!.Score));
    }

    [Fact]
    public async Task Receiver_reports_of_loss_lower_the_consumer_score_and_emit_it()
    {
        using var media = await MediaHarness.StartAsync();
        var (ssrc, sent) = await media.OnWorker(() =>
        {
            for (ushort seq = 0; seq < 100; seq++)
                media.Sending.Receive(MediaHarness.Vp8(Ssrc, seq, seq * 30u, keyFrame: seq == 0, fill: 1));
            return (media.Consumer.Ssrc, media.Receiving.SentRtp.Select(MediaHarness.Parse).ToList());
        });
        Assert.Equal(100, sent.Count);
        var before = await media.OnWorker(() => media.Events.OfType<ConsumerScore>().Count());

        await media.OnWorker(() => media.Receiving.Receive(MediaHarness.ReceiverReport(ssrc, totalLost: 40, highestSeq: sent[^1].Seq)));

        var after = await media.OnWorker(() => media.Events.OfType<ConsumerScore>().ToList());
        Assert.Equal(before + 1, after.Count);
        Assert.InRange(after[^1].Score, 0, 9);
        Assert.Equal(10, after[^1].ProducerScore);
        Assert.Equal(after[^1].Score, await media.OnWorker(() => media.Consumer.CurrentScore().Score));

        // The next interval is clean: the score recovers (a weighted average of intervals) and is emitted again.
        var recovered = await media.OnWorker(() =>
        {
            for (ushort seq = 100; seq < 200; seq++)
                media.Sending.Receive(MediaHarness.Vp8(Ssrc, seq, seq * 30u, keyFrame: false, fill: 1));
            var last = MediaHarness.Parse(media.Receiving.SentRtp[^1]).Seq;
            media.Receiving.Receive(MediaHarness.ReceiverReport(ssrc, totalLost: 40, highestSeq: last));
            return media.Events.OfType<ConsumerScore>().ToList();
        });
        Assert.Equal(before + 2, recovered.Count);
        Assert.True(recovered[^1].Score > after[^1].Score);
    }
}
