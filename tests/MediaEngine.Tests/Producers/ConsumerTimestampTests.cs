using MediaEngine.Rtp.Packets;

namespace MediaEngine.Tests.Producers;

/// <summary>
/// Consumer timestamps. Mostly a simulcast consumer's across encoding switches: three encodings of
/// the same frames (one packet each, 30 fps) with unrelated timestamp bases, placed on the wall
/// clock by their sender reports.
/// </summary>
public sealed class ConsumerTimestampTests
{
    private static readonly uint[] Ssrcs = [0x1000, 0x2000, 0x3000];
    private static readonly string[] Rids = ["r0", "r1", "r2"];

    // Layer 1's frames cross the 32-bit wrap during the tests.
    private static readonly uint[] Bases = [1_000_000, 4_294_900_000, 77_777];

    private const uint FrameTicks = 3000; // 90 kHz at 30 fps
    private const uint SwitchGapTicks = 33 * 90; // mediasoup's one-frame gap at a switch that would go back
    private const ulong NtpOrigin = 0xE900_0000_0000_0000;

    /// <summary>The timestamp frame <paramref name="frame"/> has on the consumer if it keeps layer 0's timeline, as wall-clock time says.</summary>
    private static uint WallClock(int frame) => Bases[0] + (uint)frame * FrameTicks;

    /// <summary>
    /// <paramref name="truth"/> plus what is left of a delay of <paramref name="skew"/> added at a
    /// switch <paramref name="framesSince"/> frames before: worked off at an eighth of each frame's 3000 ticks.
    /// </summary>
    private static uint Recovering(uint truth, uint skew, int framesSince) => truth + (uint)Math.Max(0, skew - framesSince * (FrameTicks / 8));

    /// <summary>
    /// Layer <paramref name="layer"/>'s sender report taken <paramref name="seconds"/> after frame 0
    /// was captured; <paramref name="skewTicks"/> makes it claim its frames were captured that much earlier.
    /// </summary>
    private static byte[] SenderReport(int layer, double seconds, uint skewTicks = 0) =>
        MediaHarness.SenderReport(Ssrcs[layer], NtpOrigin + (ulong)(seconds * 4294967296.0),
            Bases[layer] + (uint)(seconds * 90000) + skewTicks);

    private sealed class Sender(MediaHarness media)
    {
        /// <summary>What the consumer sent, with the frame whose packet made it.</summary>
        public List<(int Frame, uint Timestamp)> Sent { get; } = new();

        /// <summary>Frame <paramref name="frame"/> of each layer, in the given order; <paramref name="keyLayers"/> send a key frame.</summary>
        public void Frame(int frame, int[] order, params int[] keyLayers)
        {
            foreach (var layer in order)
            {
                var before = media.Receiving.SentRtp.Count;
                media.Sending.Receive(MediaHarness.Vp8Layered(Ssrcs[layer], (ushort)(1000 * layer + frame), Bases[layer] + (uint)frame * FrameTicks,
                    keyFrame: keyLayers.Contains(layer), pictureId: (ushort)(5000 * layer + frame), tl0PictureIndex: (byte)frame,
                    temporalLayer: 0, layerSync: false, rid: Rids[layer]));
                foreach (var packet in media.Receiving.SentRtp.Skip(before))
                {
                    Assert.True(RtpPacket.TryParse(packet.AsSpan(), out var rtp));
                    Sent.Add((frame, rtp.Timestamp));
                }
            }
        }

        public uint TimestampOf(int frame) => Sent.Single(s => s.Frame == frame).Timestamp;
    }

    private static readonly int[] Ascending = [0, 1, 2];

    private static void AssertRising(IReadOnlyList<(int Frame, uint Timestamp)> sent)
    {
        for (var i = 1; i < sent.Count; i++)
            Assert.True((int)(sent[i].Timestamp - sent[i - 1].Timestamp) > 0,
                $"timestamp {sent[i].Timestamp} (frame {sent[i].Frame}) after {sent[i - 1].Timestamp} (frame {sent[i - 1].Frame})");
    }

    [Fact]
    public async Task A_simple_consumer_forwards_the_producer_timestamps_across_a_pause()
    {
        using var media = await MediaHarness.StartAsync();
        var sent = await media.OnWorker(() =>
        {
            void Frame(int frame) => media.Sending.Receive(MediaHarness.Vp8(1111, (ushort)(200 + frame), 500 + (uint)frame * FrameTicks,
                keyFrame: frame is 0 or 10, fill: (byte)frame));
            for (var frame = 0; frame < 5; frame++)
                Frame(frame);
            media.Consumer.SetPaused(true);
            for (var frame = 5; frame < 10; frame++)
                Frame(frame);
            media.Consumer.SetPaused(false);
            for (var frame = 10; frame < 12; frame++)
                Frame(frame);
            return media.Receiving.SentRtp.Select(packet =>
            {
                Assert.True(RtpPacket.TryParse(packet.AsSpan(), out var rtp));
                return (rtp.SequenceNumber, rtp.Timestamp);
            }).ToList();
        });

        // As mediasoup's SimpleConsumer: sequence numbers close the pause's gap, timestamps keep the 10 frames' time.
        Assert.Equal([0, 1, 2, 3, 4, 10, 11], sent.Select(s => (int)(s.Timestamp - 500) / (int)FrameTicks));
        Assert.All(sent.Zip(sent.Skip(1)), pair => Assert.Equal((ushort)(pair.First.SequenceNumber + 1), pair.Second.SequenceNumber));
    }

    [Fact]
    public async Task After_switches_the_forwarded_timestamps_follow_wall_clock_time_within_a_frame()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8Simulcast3Json);
        var (sent, layers) = await media.OnWorker(() =>
        {
            var sender = new Sender(media);
            var layersAt = new List<int>();
            media.Consumer.SetPreferredLayers(0);
            sender.Frame(0, Ascending, 0, 1, 2);
            // Each layer reports at its own instant: the mapping goes through the NTP difference.
            media.Sending.Receive(SenderReport(0, 0.25));
            media.Sending.Receive(SenderReport(1, 0.5));
            media.Sending.Receive(SenderReport(2, 0.75));
            for (var frame = 1; frame < 5; frame++)
                sender.Frame(frame, Ascending);
            layersAt.Add(media.Consumer.CurrentSpatialLayer);

            // Layer 2's key frame arrives before layer 0's packet of the same frame.
            media.Consumer.SetPreferredLayers(2);
            sender.Frame(5, [2, 0, 1], 2);
            for (var frame = 6; frame < 10; frame++)
                sender.Frame(frame, Ascending);
            layersAt.Add(media.Consumer.CurrentSpatialLayer);

            // Layer 1's key frame arrives after layer 2's packet of the same frame was sent.
            media.Consumer.SetPreferredLayers(1);
            sender.Frame(10, [0, 2, 1], 1);
            for (var frame = 11; frame < 21; frame++)
                sender.Frame(frame, Ascending);
            layersAt.Add(media.Consumer.CurrentSpatialLayer);
            return (sender, layersAt);
        });

        Assert.Equal([0, 2, 1], layers);
        Assert.Equal(Enumerable.Range(0, 21), sent.Sent.Select(s => s.Frame).Distinct());
        for (var frame = 0; frame < 10; frame++)
            Assert.Equal(WallClock(frame), sent.TimestampOf(frame)); // layer 2's timestamps on layer 0's timeline, exactly
        // Layer 2's frame 10 went out before layer 1's key frame 10, which moves one frame gap later (< 75 ms).
        Assert.Equal([WallClock(10), WallClock(10) + SwitchGapTicks], sent.Sent.Where(s => s.Frame == 10).Select(s => s.Timestamp));
        // That delay is worked off over the next 8 frames, stamped 375 ticks closer together: back on the wall clock.
        for (var frame = 11; frame < 21; frame++)
            Assert.Equal(Recovering(WallClock(frame), SwitchGapTicks, frame - 10), sent.TimestampOf(frame));
        Assert.Equal(WallClock(20), sent.TimestampOf(20));
        Assert.All(sent.Sent, s => Assert.InRange(s.Timestamp - WallClock(s.Frame), 0u, FrameTicks));
        AssertRising(sent.Sent);
    }

    [Fact]
    public async Task Without_sender_reports_the_consumer_stays_on_its_reference_layer_until_both_layers_have_one()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8Simulcast3Json);
        var (sent, layerBeforeReports, layerAfter) = await media.OnWorker(() =>
        {
            var sender = new Sender(media);
            media.Consumer.SetPreferredLayers(0);
            sender.Frame(0, Ascending, 0, 1, 2);
            media.Consumer.SetPreferredLayers(2);
            // Key frames of layer 2 come, but nothing maps its timestamps onto layer 0's yet (as mediasoup: no switch).
            for (var frame = 1; frame < 6; frame++)
                sender.Frame(frame, [2, 0, 1], 2);
            var before = media.Consumer.CurrentSpatialLayer;
            media.Sending.Receive(SenderReport(0, 0.1));
            media.Sending.Receive(SenderReport(2, 0.15));
            sender.Frame(6, [2, 0, 1], 2);
            sender.Frame(7, Ascending);
            return (sender, before, media.Consumer.CurrentSpatialLayer);
        });

        Assert.Equal(0, layerBeforeReports);
        Assert.Equal(2, layerAfter);
        // Layer 0's own timestamps first (the reference is forwarded as it comes), then layer 2's mapped onto them.
        for (var frame = 0; frame < 8; frame++)
            Assert.Equal(WallClock(frame), sent.TimestampOf(frame));
    }

    [Fact]
    public async Task A_reference_layer_without_sender_report_gives_way_and_timestamps_carry_on_from_the_last_sent()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8Simulcast3Json);
        var (sent, layers) = await media.OnWorker(() =>
        {
            var sender = new Sender(media);
            var layersAt = new List<int>();
            media.Consumer.SetPreferredLayers(0);
            sender.Frame(0, Ascending, 0, 1, 2);
            for (var frame = 1; frame < 4; frame++)
                sender.Frame(frame, Ascending);
            // Only layer 2 has a sender report: it becomes the timestamp reference.
            media.Sending.Receive(SenderReport(2, 0.1));
            media.Consumer.SetPreferredLayers(2);
            sender.Frame(4, [2, 0, 1], 2);
            for (var frame = 5; frame < 8; frame++)
                sender.Frame(frame, Ascending);
            layersAt.Add(media.Consumer.CurrentSpatialLayer);
            // Once layer 0 has one too, it is mapped onto layer 2's timeline.
            media.Sending.Receive(SenderReport(0, 0.2));
            media.Consumer.SetPreferredLayers(0);
            sender.Frame(8, [0, 1, 2], 0);
            for (var frame = 9; frame < 12; frame++)
                sender.Frame(frame, Ascending);
            layersAt.Add(media.Consumer.CurrentSpatialLayer);
            return (sender, layersAt);
        });

        Assert.Equal([2, 0], layers);
        AssertRising(sent.Sent);
        // Not layer 2's own timestamps (an unrelated base) but the next after layer 0's frame 3, at least a frame gap later.
        var afterSwitch = sent.TimestampOf(4) - sent.TimestampOf(3);
        Assert.True(afterSwitch >= SwitchGapTicks && afterSwitch < 90_000 * 5, $"frame 4 came {afterSwitch} ticks after frame 3");
        for (var frame = 5; frame < 12; frame++)
            Assert.Equal(sent.TimestampOf(frame - 1) + FrameTicks, sent.TimestampOf(frame));
    }

    [Fact]
    public async Task A_key_frame_that_would_go_back_more_than_75_ms_is_dropped_for_another_and_timestamps_never_go_back()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8Simulcast3Json);
        var sender = new Sender(media);
        await media.OnWorker(() =>
        {
            media.Consumer.SetPreferredLayers(0);
            sender.Frame(0, Ascending, 0, 1, 2);
            media.Sending.Receive(SenderReport(0, 0.1));
            // Layer 2's report places its frames 100 ms before layer 0's: its key frames land 3 frames back.
            media.Sending.Receive(SenderReport(2, 0.1, skewTicks: 9000));
            for (var frame = 1; frame < 5; frame++)
                sender.Frame(frame, Ascending);
            media.Consumer.SetPreferredLayers(2);
        });
        await Task.Delay(600); // past the key frame request interval, so the next request is sent
        var (requestsBefore, requestsAfter, layerAfterFirst, layerAfterSecond) = await media.OnWorker(() =>
        {
            var requests = media.Producer.Streams[2].KeyFrameRequests;
            sender.Frame(5, [2, 0, 1], 2);
            var requested = media.Producer.Streams[2].KeyFrameRequests;
            var first = media.Consumer.CurrentSpatialLayer;
            sender.Frame(6, [2, 0, 1], 2);
            var second = media.Consumer.CurrentSpatialLayer;
            for (var frame = 7; frame < 10; frame++)
                sender.Frame(frame, Ascending);
            return (requests, requested, first, second);
        });

        Assert.Equal(0, layerAfterFirst);
        Assert.Equal(requestsBefore + 1, requestsAfter);
        Assert.Equal(WallClock(5), sender.TimestampOf(5)); // layer 0's frame 5: the key frame of layer 2 was dropped
        // The requested key frame needs as much: it is taken, one frame gap after what was sent, 8970
        // ticks after where layer 2's report puts it, a delay then worked off frame by frame.
        Assert.Equal(2, layerAfterSecond);
        Assert.Equal(WallClock(5) + SwitchGapTicks, sender.TimestampOf(6));
        for (var frame = 6; frame < 10; frame++)
            Assert.Equal(Recovering(WallClock(frame) - 9000, 8970, frame - 6), sender.TimestampOf(frame));
        AssertRising(sender.Sent);
    }

    [Fact]
    public async Task Across_many_switches_with_jittery_sender_reports_timestamps_never_go_back_nor_drift_from_the_wall_clock()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8Simulcast3Json);
        var (sent, switches) = await media.OnWorker(() =>
        {
            var random = new Random(7);
            var sender = new Sender(media);
            var layerSwitches = 0;
            var previousLayer = -1;
            media.Consumer.SetPreferredLayers(2);
            for (var frame = 0; frame < 600; frame++)
            {
                if (frame % 30 == 1)
                {
                    // Reports with up to ±15 ms of error, as a sender's clocks and pacing give.
                    for (var layer = 0; layer < 3; layer++)
                        media.Sending.Receive(SenderReport(layer, frame / 30.0, (uint)random.Next(-1350, 1351)));
                }
                if (frame % 7 == 3)
                    media.Consumer.SetPreferredLayers(random.Next(3));
                var order = Ascending.OrderBy(_ => random.Next()).ToArray();
                var keyLayers = Ascending.Where(_ => frame == 0 || random.Next(4) == 0).ToArray();
                sender.Frame(frame, order, keyLayers);
                if (media.Consumer.CurrentSpatialLayer != previousLayer)
                {
                    layerSwitches++;
                    previousLayer = media.Consumer.CurrentSpatialLayer;
                }
            }
            return (sender, layerSwitches);
        });

        Assert.True(switches > 25, $"{switches} switches");
        AssertRising(sent.Sent);
        // The delays added at switches do not pile up: within the reports' error and mediasoup's 75 ms of the wall clock.
        Assert.All(sent.Sent, s => Assert.InRange((int)(s.Timestamp - WallClock(s.Frame)), -75 * 90, 75 * 90));
    }
}
