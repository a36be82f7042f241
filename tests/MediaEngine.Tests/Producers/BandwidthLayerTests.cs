using MediaEngine.Codecs;
using MediaEngine.Consumers;
using MediaEngine.Rtcp;
using MediaEngine.Rtp;
using MediaEngine.Rtp.Packets;
using MediaEngine.Tests.Codecs;
using MediaEngine.Transports;

namespace MediaEngine.Tests.Producers;

/// <summary>The consuming transport's bandwidth estimate falls: its simulcast or SVC consumer moves to a lower layer.</summary>
public sealed class BandwidthLayerTests
{
    private const uint Low = 0xA0A0;
    private const uint High = 0xB0B0;

    private static byte[] Vp8Sized(uint ssrc, ushort seq, bool keyFrame, int size, string rid)
    {
        var payload = new byte[size];
        payload[0] = 0x10;
        payload[1] = (byte)(keyFrame ? 0x00 : 0x01);
        return MediaHarness.Packet(ssrc, seq, seq * 3000u, payload, MediaHarness.MediaPayloadType,
            [(MediaHarness.MidExtensionId, "0"), (MediaHarness.RidExtensionId, rid)]);
    }

    /// <summary>Both layers' sender reports (same timestamps at the same instant): switching between them needs them.</summary>
    private static void SendSenderReports(MediaHarness media)
    {
        var ntp = NtpTime.Now();
        media.Sending.Receive(MediaHarness.SenderReport(Low, ntp, 0));
        media.Sending.Receive(MediaHarness.SenderReport(High, ntp, 0));
    }

    /// <summary>Transport-wide feedback for every packet the consumer sent so far, three in four lost.</summary>
    private static byte[] LossyFeedback(MediaHarness media, byte count)
    {
        var id = media.Consumer.RtpParameters.HeaderExtensions.First(h => h.Uri == RtpHeaderExtensionUris.TransportWideCc).Id;
        var sequenceNumbers = media.Receiving.SentRtp.Select(p =>
        {
            Assert.True(RtpPacket.TryParse(p.AsSpan(), out var rtp));
            Assert.True(rtp.TryReadTransportWideSequenceNumber(id, out var wide));
            return wide;
        }).ToList();
        var buffer = new byte[1500];
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, sequenceNumbers[0], 1_000_000, count);
        var arrival = 1_000_000L;
        for (var i = 0; i < sequenceNumbers.Count; i += 4)
            Assert.True(builder.TryAddReceivedPacket(sequenceNumbers[i], arrival += 20_000));
        return buffer[..builder.Complete()];
    }

    /// <summary>
    /// Lossy intervals (25 rounds of media, then feedback losing three in four, at least 500 ms apart) until
    /// the estimate is under <paramref name="layerBitrate"/>. Layer bitrates are re-measured on a timer, so
    /// the comparison and <paramref name="switchDown"/> run in one worker turn; returns the consumer's layer
    /// and layer events after it.
    /// </summary>
    /// <summary>
    /// Runs <paramref name="round"/> <paramref name="rounds"/> times, 20 ms apart, on the worker's own timer: the
    /// bitrates measured per second then follow the worker's clock, not a test thread that a loaded machine stalls
    /// (with Task.Delay between rounds, a stall once left one superframe in a measured second).
    /// </summary>
    private static async Task PacedOnWorkerAsync(MediaHarness media, int rounds, Action round)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        IDisposable? timer = null;
        await media.OnWorker(() => timer = media.Worker.Every(TimeSpan.FromMilliseconds(20), () =>
        {
            if (count == rounds)
                return;
            round();
            if (++count == rounds)
                done.TrySetResult();
        }));
        await done.Task;
        await media.OnWorker(() => timer!.Dispose());
    }

    private static async Task<(int Layer, List<ConsumerLayersChanged> Events)> LoseUntilUnderAsync(
        MediaHarness media, Action sendRound, Func<uint> layerBitrate, Action switchDown)
    {
        uint estimate = 0, bitrate = 0;
        for (byte interval = 0; interval < 12; interval++)
        {
            for (var round = 0; round < 25; round++)
                await media.OnWorker(sendRound);
            var feedbackCount = interval;
            await media.OnWorker(() => media.Receiving.Receive(LossyFeedback(media, feedbackCount)));
            await Task.Delay(550);
            var outcome = await media.OnWorker(() =>
            {
                estimate = media.Receiving.BandwidthEstimator.AvailableBitrate;
                bitrate = layerBitrate();
                if (estimate >= bitrate)
                    return ((int, List<ConsumerLayersChanged>)?)null;
                switchDown();
                return (media.Consumer.CurrentSpatialLayer, media.Events.OfType<ConsumerLayersChanged>().ToList());
            });
            if (outcome is { } switched)
                return switched;
        }
        throw new Xunit.Sdk.XunitException($"estimate {estimate} bps, still not under the layer's {bitrate} bps");
    }

    [Fact]
    public async Task Heavy_loss_reported_by_the_receiver_moves_the_consumer_down_to_a_layer_that_fits()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        ushort seq = 0;
        void SendBoth(bool keyFrame)
        {
            media.Sending.Receive(Vp8Sized(Low, seq, keyFrame, 100, "r0"));
            media.Sending.Receive(Vp8Sized(High, seq, keyFrame, 1000, "r1"));
            seq++;
        }

        await media.OnWorker(() =>
        {
            SendBoth(keyFrame: true);
            SendSenderReports(media);
            SendBoth(keyFrame: true); // layer 1's first key frame came before it could be switched to
        });
        await PacedOnWorkerAsync(media, 100, () => SendBoth(keyFrame: false)); // ≥ 2 s at ≤ 50 packets/s per layer, so both layers get a measured bitrate
        Assert.Equal(1, await media.OnWorker(() => media.Consumer.CurrentSpatialLayer));
        var highBitrate = await media.OnWorker(() => media.Producer.Streams[1].Bitrate);
        Assert.True(highBitrate > 100_000, $"layer 1 measured at {highBitrate} bps");

        var outcome = await LoseUntilUnderAsync(media, () => SendBoth(keyFrame: false), () => media.Producer.Streams[1].Bitrate, () =>
        {
            SendBoth(keyFrame: false); // asks layer 0 for a key frame
            SendBoth(keyFrame: true);
        });
        Assert.True(await media.OnWorker(() => media.Receiving.BandwidthEstimator.LossFraction) > 0.5);
        Assert.Equal(0, outcome.Layer);
        Assert.Equal(0, outcome.Events[^1].SpatialLayer);
    }

    /// <summary>
    /// A one-packet VP9 layer frame of <paramref name="size"/> payload bytes (non-flexible mode, RFC 9628);
    /// upper temporal layers are switching-up points.
    /// </summary>
    private static byte[] Vp9Sized(ushort seq, ushort pictureId, int spatial, bool keyFrame, int size, int temporal = 0)
    {
        var payload = new byte[size];
        payload[0] = (byte)(0xA0 | (keyFrame ? 0 : 0x40) | 0x08 | 0x04);
        payload[1] = (byte)(0x80 | (pictureId >> 8));
        payload[2] = (byte)pictureId;
        payload[3] = (byte)((temporal << 5) | (temporal > 0 ? 0x10 : 0) | (spatial << 1));
        var buffer = new byte[1500];
        var writer = new RtpPacketWriter(buffer, 98, spatial == 2, seq, pictureId * 3000u, 3333);
        return buffer[..writer.Finish(payload)];
    }

    [Fact]
    public async Task Heavy_loss_reported_by_the_receiver_moves_an_svc_consumer_down_a_spatial_layer()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp9SvcJson);
        ushort seq = 0, picture = 0;
        int[] sizes = [150, 400, 1200];
        void Superframe(bool keyFrame)
        {
            for (var spatial = 0; spatial < 3; spatial++)
                media.Sending.Receive(Vp9Sized(seq++, picture, spatial, keyFrame, sizes[spatial]));
            picture++;
        }

        await media.OnWorker(() => Superframe(keyFrame: true));
        await PacedOnWorkerAsync(media, 100, () => Superframe(keyFrame: false)); // ≥ 2 s, so every spatial layer gets a measured bitrate
        // The first key frame came before the upper layers were seen: reaching them takes another.
        await media.OnWorker(() => Superframe(keyFrame: true));
        Assert.Equal(2, await media.OnWorker(() => media.Consumer.CurrentSpatialLayer));
        var topBitrate = await media.OnWorker(() => media.Producer.Streams[0].LayersBitrate(2, 0, ksvc: true));
        var middleBitrate = await media.OnWorker(() => media.Producer.Streams[0].LayersBitrate(1, 0, ksvc: true));
        Assert.True(topBitrate > 50_000 && topBitrate > 2 * middleBitrate, $"layer 2 at {topBitrate} bps, layer 1 at {middleBitrate} bps");

        var outcome = await LoseUntilUnderAsync(media, () => Superframe(keyFrame: false),
            () => media.Producer.Streams[0].LayersBitrate(2, 0, ksvc: true), () =>
            {
                Superframe(keyFrame: false); // K-SVC: going down waits for a key frame
                Superframe(keyFrame: true);
            });
        Assert.InRange(outcome.Layer, 0, 1);
        Assert.Equal(outcome.Layer, outcome.Events[^1].SpatialLayer);
    }

    [Fact]
    public async Task Growing_delay_without_loss_moves_the_consumer_down_to_a_layer_that_fits()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        var wideId = media.Consumer.RtpParameters.HeaderExtensions.First(h => h.Uri == RtpHeaderExtensionUris.TransportWideCc).Id;
        ushort seq = 0;
        void SendBoth(bool keyFrame)
        {
            media.Sending.Receive(Vp8Sized(Low, seq, keyFrame, 100, "r0"));
            media.Sending.Receive(Vp8Sized(High, seq, keyFrame, 1000, "r1"));
            seq++;
        }

        await media.OnWorker(() =>
        {
            SendBoth(keyFrame: true);
            SendSenderReports(media);
            SendBoth(keyFrame: true); // layer 1's first key frame came before it could be switched to
        });
        await PacedOnWorkerAsync(media, 100, () => SendBoth(keyFrame: false));
        Assert.Equal(1, await media.OnWorker(() => media.Consumer.CurrentSpatialLayer));

        // The receiver reports every packet, each later than the one before by more than they were
        // sent apart: a queue builds on the path, nothing is lost. Layer 1's bitrate is re-measured on
        // a timer, so the comparison and the switch run in the worker turn of the feedback.
        var pending = new List<(ushort Wide, long SentMicroseconds)>();
        long queueMicroseconds = 0;
        byte feedbackCount = 0;
        (uint Estimate, uint Bitrate, int Layer)? outcome = null;
        for (var round = 0; round < 300 && outcome is null; round++)
        {
            pending.Add(await media.OnWorker(() =>
            {
                SendBoth(keyFrame: false);
                Assert.True(RtpPacket.TryParse(media.Receiving.SentRtp[^1].AsSpan(), out var rtp));
                Assert.True(rtp.TryReadTransportWideSequenceNumber(wideId, out var wide));
                return (wide, media.Worker.Now.Ticks / 10);
            }));
            await Task.Delay(20);
            if (pending.Count < 5)
                continue;
            var buffer = new byte[1500];
            var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, pending[0].Wide, pending[0].SentMicroseconds + 20_000 + queueMicroseconds, feedbackCount++);
            foreach (var (wide, sent) in pending)
            {
                queueMicroseconds += 15_000;
                Assert.True(builder.TryAddReceivedPacket(wide, sent + 20_000 + queueMicroseconds));
            }
            pending.Clear();
            var feedback = buffer[..builder.Complete()];
            outcome = await media.OnWorker(() =>
            {
                media.Receiving.Receive(feedback);
                var estimate = media.Receiving.BandwidthEstimator.AvailableBitrate;
                var bitrate = media.Producer.Streams[1].Bitrate;
                if (estimate >= bitrate)
                    return ((uint, uint, int)?)null;
                SendBoth(keyFrame: false); // asks layer 0 for a key frame
                SendBoth(keyFrame: true);
                return (estimate, bitrate, media.Consumer.CurrentSpatialLayer);
            });
        }
        Assert.True(outcome is not null, "the estimate never fell under layer 1's bitrate");
        Assert.Equal(0, await media.OnWorker(() => media.Receiving.BandwidthEstimator.LossFraction));
        Assert.Equal(0, outcome.Value.Layer);
    }

    /// <summary>
    /// A one-packet VP8 frame of <paramref name="size"/> payload bytes with the full descriptor
    /// (PictureID, TL0PICIDX, TID; upper layers marked layer sync).
    /// </summary>
    private static byte[] Vp8Temporal(uint ssrc, ushort seq, ushort pictureId, byte tl0PictureIndex, int temporalLayer, bool keyFrame, int size, string rid)
    {
        var payload = new byte[size];
        Vp8TestDescriptor.Write(payload, pictureId, tl0PictureIndex, temporalLayer, layerSync: temporalLayer > 0);
        payload[Vp8TestDescriptor.Length] = (byte)(keyFrame ? 0x00 : 0x01);
        return MediaHarness.Packet(ssrc, seq, pictureId * 3000u, payload, MediaHarness.MediaPayloadType,
            [(MediaHarness.MidExtensionId, "0"), (MediaHarness.RidExtensionId, rid)]);
    }

    /// <summary>The temporal layer (VP8 TID) of each packet the consumer sent from <paramref name="from"/> on.</summary>
    private static List<int> ForwardedTemporalLayers(MediaHarness media, int from) =>
        media.Receiving.SentRtp.Skip(from).Select(p =>
        {
            Assert.True(RtpPacket.TryParse(p.AsSpan(), out var rtp));
            Assert.True(Vp8PayloadDescriptor.TryParse(rtp.Payload, out var vp8));
            return vp8.TemporalLayerIndex;
        }).ToList();

    [Fact]
    public async Task An_estimate_between_the_S0T1_and_S0T2_bitrates_forwards_temporal_layer_1_and_T2_once_it_fits()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        ushort seq = 0, picture = 0;
        byte tl0 = 0;
        int[] pattern = [0, 2, 1, 2];
        var upperSize = 1200;
        // Groups of four frames (ten per worker turn), only the lowest stream: layers 0 and 1 are small,
        // layer 2 large. With a turn every 7–190 ms, S0T1 measures under the transport's initial 1 Mbps
        // estimate and S0T2 over it; no feedback moves the estimate.
        void Groups(bool keyFrame = false, int count = 10)
        {
            for (var group = 0; group < count; group++)
            {
                foreach (var temporal in pattern)
                {
                    if (temporal == 0)
                        tl0++;
                    media.Sending.Receive(Vp8Temporal(Low, seq++, picture++, tl0, temporal, keyFrame && group == 0 && temporal == 0,
                        temporal == 2 ? upperSize : 20, "r0"));
                }
            }
        }

        await media.OnWorker(() => Groups(keyFrame: true));
        await PacedOnWorkerAsync(media, 125, () => Groups()); // 2.5 s: two bitrate windows at least

        // Bitrates are re-measured on a timer: compare and forward in one worker turn.
        var outcome = await media.OnWorker(() =>
        {
            var stream = media.Producer.Streams[0];
            var (t1, t2) = (stream.LayersBitrate(0, 1), stream.LayersBitrate(0, 2));
            var estimate = media.Receiving.BandwidthEstimator.AvailableBitrate;
            var from = media.Receiving.SentRtp.Count;
            Groups();
            return (t1, t2, estimate, Forwarded: ForwardedTemporalLayers(media, from), media.Consumer.CurrentTemporalLayer,
                Last: media.Events.OfType<ConsumerLayersChanged>().Last());
        });
        Assert.True(outcome.t1 < outcome.estimate && outcome.estimate < outcome.t2,
            $"S0T1 at {outcome.t1} bps, S0T2 at {outcome.t2} bps, estimate {outcome.estimate} bps");
        Assert.Equal(20, outcome.Forwarded.Count); // the T0 and T1 frames of ten groups
        Assert.Equal(10, outcome.Forwarded.Count(t => t == 1));
        Assert.DoesNotContain(2, outcome.Forwarded);
        Assert.Equal(1, outcome.CurrentTemporalLayer);
        Assert.Equal(new ConsumerLayersChanged("c", 0, 1), outcome.Last);

        // Layer 2 shrinks (and two groups a turn): once the three layers measure under the estimate, layer 2
        // is forwarded again from its next layer-sync frame.
        upperSize = 20;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await media.OnWorker(() => media.Consumer.CurrentTemporalLayer) != 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "temporal layer 2 not forwarded again");
            await media.OnWorker(() => Groups(count: 2));
            await Task.Delay(20);
        }
        var after = await media.OnWorker(() =>
        {
            var from = media.Receiving.SentRtp.Count;
            Groups(count: 2);
            return (Forwarded: ForwardedTemporalLayers(media, from), Last: media.Events.OfType<ConsumerLayersChanged>().Last());
        });
        Assert.Equal(8, after.Forwarded.Count);
        Assert.Equal(new ConsumerLayersChanged("c", 0, 2), after.Last);

        // With each feedback the transport tells its estimator what the consumer would send with no
        // limit (the whole stream it forwards): how far past what is sent the estimate may rise. The
        // feedback comes in the last of 1.2 s of rounds paced by the worker, so the stream's last bitrate
        // window is one with traffic however slowly the test's own thread runs.
        const int rounds = 60;
        var (round, built, desired, streamBitrate) = (0, false, 0u, 0u);
        await PacedOnWorkerAsync(media, rounds, () =>
        {
            Groups(count: 2);
            if (++round < rounds)
                return;
            var buffer = new byte[100];
            var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, 1, 1_000_000, 0);
            built = builder.TryAddReceivedPacket(1, 1_000_000);
            media.Receiving.Receive(buffer[..builder.Complete()]);
            (desired, streamBitrate) = (media.Receiving.BandwidthEstimator.DesiredBitrate, media.Producer.Streams[0].Bitrate);
        });
        Assert.True(built);
        Assert.True(desired > 0);
        Assert.Equal(streamBitrate, desired);
    }

    [Fact]
    public async Task A_higher_stream_at_its_base_temporal_layer_comes_before_the_full_frame_rate_of_a_lower_one()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        var seq = new ushort[2];
        var picture = new ushort[2];
        var tl0 = new byte[2];
        int[] pattern = [0, 2, 1, 2];
        // Stream 1's base layer is small and its upper layers large; stream 0 is small throughout. With
        // a turn every 7–190 ms, S1T0 measures under the initial 1 Mbps estimate and S1T1 over it.
        void Groups(int encoding, int count, bool keyFrame = false)
        {
            for (var group = 0; group < count; group++)
            {
                foreach (var temporal in pattern)
                {
                    if (temporal == 0)
                        tl0[encoding]++;
                    media.Sending.Receive(Vp8Temporal(encoding == 0 ? Low : High, seq[encoding]++, picture[encoding]++, tl0[encoding], temporal,
                        keyFrame && group == 0 && temporal == 0, encoding == 1 && temporal > 0 ? 1200 : 20, encoding == 0 ? "r0" : "r1"));
                }
            }
        }
        void Turn(bool keyFrame = false)
        {
            Groups(1, 20, keyFrame); // first: the consumer starts on stream 1, its timestamp reference
            Groups(0, 1, keyFrame);
        }

        await media.OnWorker(() => Turn(keyFrame: true));
        await PacedOnWorkerAsync(media, 125, () => Turn()); // 2.5 s: two bitrate windows at least

        var outcome = await media.OnWorker(() =>
        {
            var (low, high) = (media.Producer.Streams[0], media.Producer.Streams[1]);
            var bitrates = (S0T2: low.LayersBitrate(0, 2), S1T0: high.LayersBitrate(0, 0), S1T1: high.LayersBitrate(0, 1));
            var estimate = media.Receiving.BandwidthEstimator.AvailableBitrate;
            var from = media.Receiving.SentRtp.Count;
            Turn();
            return (bitrates, estimate, Forwarded: ForwardedTemporalLayers(media, from),
                Layers: (media.Consumer.CurrentSpatialLayer, media.Consumer.CurrentTemporalLayer), Last: media.Events.OfType<ConsumerLayersChanged>().Last());
        });
        var (bitrates, estimate) = (outcome.bitrates, outcome.estimate);
        Assert.True(bitrates.S0T2 < estimate && bitrates.S1T0 < estimate && estimate < bitrates.S1T1,
            $"S0T2 at {bitrates.S0T2} bps, S1T0 at {bitrates.S1T0} bps, S1T1 at {bitrates.S1T1} bps, estimate {estimate} bps");
        Assert.Equal(Enumerable.Repeat(0, 20), outcome.Forwarded); // stream 1's twenty base-layer frames, nothing of stream 0
        Assert.Equal((1, 0), outcome.Layers);
        Assert.Equal(new ConsumerLayersChanged("c", 1, 0), outcome.Last);
    }

    [Fact]
    public async Task An_svc_consumer_takes_the_spatial_and_temporal_layers_that_fit_the_estimate()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp9SvcJson);
        ushort seq = 0, picture = 0;
        int[] pattern = [0, 2, 1, 2];
        // K-SVC (L3T3_KEY): a consumer forwarding (S, T) sends spatial layer S's temporal layers up to T.
        // Layer 1's T0 and T1 are small, its T2 and all of layer 2 large: with 15 groups of 4 superframes
        // per worker turn, a turn every 7–130 ms, S1T1 measures under the initial 1 Mbps estimate, S1T2
        // and S2T0 over it.
        int Size(int spatial, int temporal) => spatial == 2 || (spatial == 1 && temporal == 2) ? 1200 : 20;
        void Groups(bool keyFrame = false)
        {
            for (var group = 0; group < 15; group++)
            {
                foreach (var temporal in pattern)
                {
                    for (var spatial = 0; spatial < 3; spatial++)
                        media.Sending.Receive(Vp9Sized(seq++, picture, spatial, keyFrame && group == 0 && temporal == 0, Size(spatial, temporal), temporal));
                    picture++;
                }
            }
        }

        await media.OnWorker(() => Groups(keyFrame: true));
        await PacedOnWorkerAsync(media, 125, () => Groups()); // 2.5 s, so every layer's bitrate is measured over full seconds

        // K-SVC moves down a spatial layer on a key frame; compare and forward in one worker turn.
        var outcome = await media.OnWorker(() =>
        {
            var stream = media.Producer.Streams[0];
            var bitrates = (S1T1: stream.LayersBitrate(1, 1, ksvc: true), S1T2: stream.LayersBitrate(1, 2, ksvc: true), S2T0: stream.LayersBitrate(2, 0, ksvc: true));
            var estimate = media.Receiving.BandwidthEstimator.AvailableBitrate;
            Groups(keyFrame: true);
            var from = media.Receiving.SentRtp.Count;
            Groups();
            var forwarded = media.Receiving.SentRtp.Skip(from).Select(p =>
            {
                Assert.True(RtpPacket.TryParse(p.AsSpan(), out var rtp));
                Assert.True(Vp9PayloadDescriptor.TryParse(rtp.Payload, out var vp9));
                return (vp9.SpatialLayerIndex, vp9.TemporalLayerIndex);
            }).ToList();
            return (bitrates, estimate, forwarded, Layers: (media.Consumer.CurrentSpatialLayer, media.Consumer.CurrentTemporalLayer),
                Last: media.Events.OfType<ConsumerLayersChanged>().Last());
        });
        var (bitrates, estimate) = (outcome.bitrates, outcome.estimate);
        Assert.True(bitrates.S1T1 < estimate && estimate < bitrates.S1T2 && estimate < bitrates.S2T0,
            $"S1T1 at {bitrates.S1T1} bps, S1T2 at {bitrates.S1T2} bps, S2T0 at {bitrates.S2T0} bps, estimate {estimate} bps");
        Assert.Equal(30, outcome.forwarded.Count); // the T0 and T1 pictures of layer 1 in fifteen groups
        Assert.All(outcome.forwarded, layers => Assert.Equal(1, layers.SpatialLayerIndex));
        Assert.Equal(15, outcome.forwarded.Count(layers => layers.TemporalLayerIndex == 1));
        Assert.Equal((1, 1), outcome.Layers);
        Assert.Equal(new ConsumerLayersChanged("c", 1, 1), outcome.Last);
    }
}
