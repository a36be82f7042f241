using MediaEngine.Codecs;
using MediaEngine.Consumers;
using MediaEngine.Transports;

namespace MediaEngine.Tests.Producers;

/// <summary>Simulcast consumers: temporal layer filtering and continuity of sequence numbers, PictureID and TL0PICIDX.</summary>
public sealed class ConsumerLayerTests
{
    private const uint Low = 0xA0A0;
    private const uint High = 0xB0B0;

    private sealed record Sent(ushort Seq, ushort PictureId, byte Tl0PictureIndex, int TemporalLayer);

    private static List<Sent> SentPackets(MediaHarness media) => media.Receiving.SentRtp.Select(packet =>
    {
        var (seq, payload) = MediaHarness.Parse(packet);
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out var descriptor));
        return new Sent(seq, descriptor.PictureId, descriptor.Tl0PictureIndex, descriptor.TemporalLayerIndex);
    }).ToList();

    private static void AssertContinuous(IReadOnlyList<Sent> sent)
    {
        for (var i = 1; i < sent.Count; i++)
        {
            Assert.Equal((ushort)(sent[i - 1].Seq + 1), sent[i].Seq);
            Assert.Equal((sent[i - 1].PictureId + 1) & Vp8PayloadDescriptor.MaxPictureId, sent[i].PictureId);
        }
    }

    // L1T3 as libwebrtc sends it: temporal layers 0 2 1 2 0 2 1 2 ...
    private static readonly int[] Pattern = [0, 2, 1, 2];

    [Fact]
    public async Task Preferred_temporal_layer_0_forwards_only_the_base_layer_without_gaps()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        var sent = await media.OnWorker(() =>
        {
            media.Consumer.SetPreferredLayers(1, 0);
            for (ushort picture = 0; picture < 16; picture++)
            {
                var layer = Pattern[picture % 4];
                media.Sending.Receive(MediaHarness.Vp8Layered(High, (ushort)(1000 + picture), picture * 3000u, keyFrame: picture == 0,
                    pictureId: (ushort)(300 + picture), tl0PictureIndex: (byte)(50 + picture / 4), layer, layerSync: layer > 0, rid: "r1"));
            }
            return SentPackets(media);
        });

        Assert.Equal(4, sent.Count);
        Assert.All(sent, s => Assert.Equal(0, s.TemporalLayer));
        AssertContinuous(sent);
        Assert.All(sent.Zip(sent.Skip(1)), pair => Assert.Equal((byte)(pair.First.Tl0PictureIndex + 1), pair.Second.Tl0PictureIndex));
        Assert.Equal(0, await media.OnWorker(() => media.Consumer.CurrentTemporalLayer));
    }

    [Fact]
    public async Task Lowering_the_temporal_layer_mid_stream_leaves_no_gap_and_raising_it_waits_for_a_layer_sync_frame()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        ushort picture = 0;
        void Send(int count, bool sync = true)
        {
            for (var i = 0; i < count; i++, picture++)
            {
                var layer = Pattern[picture % 4];
                media.Sending.Receive(MediaHarness.Vp8Layered(High, (ushort)(7000 + picture), picture * 3000u, keyFrame: picture == 0,
                    pictureId: (ushort)(32760 + picture), tl0PictureIndex: (byte)(254 + picture / 4), layer, layerSync: sync && layer > 0, rid: "r1"));
            }
        }

        var (all, events) = await media.OnWorker(() =>
        {
            Send(8);
            media.Consumer.SetPreferredLayers(1, 0);
            Send(8);
            media.Consumer.SetPreferredLayers(1, 2);
            Send(4, sync: false); // no layer sync: stays at layer 0
            Send(4);
            return (SentPackets(media), media.Events.OfType<ConsumerLayersChanged>().ToList());
        });

        Assert.Equal(8 + 2 + 1 + 4, all.Count);
        AssertContinuous(all);
        Assert.Equal([0, 2, 1, 2, 0, 2, 1, 2, 0, 0, 0, 0, 2, 1, 2], all.Select(s => s.TemporalLayer));
        Assert.Equal(new ConsumerLayersChanged("c", 1, 0), events[0]);
        Assert.Equal(new ConsumerLayersChanged("c", 1, 2), events[1]);
        Assert.Equal(new ConsumerLayersChanged("c", 1, 2), events[^1]);
    }

    [Fact]
    public async Task A_simulcast_switch_keeps_sequence_numbers_picture_ids_and_tl0picidx_continuous()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        var (sent, events, keyFrameRequests) = await media.OnWorker(() =>
        {
            media.Consumer.SetPreferredLayers(0, 2);
            for (ushort i = 0; i < 6; i++)
            {
                media.Sending.Receive(MediaHarness.Vp8Layered(Low, (ushort)(100 + i), i * 3000u, keyFrame: i == 0,
                    pictureId: (ushort)(20 + i), tl0PictureIndex: (byte)(9 + i), 0, false, rid: "r0"));
                media.Sending.Receive(MediaHarness.Vp8Layered(High, (ushort)(40000 + i), i * 3000u + 7, keyFrame: i == 0,
                    pictureId: (ushort)(9000 + i), tl0PictureIndex: (byte)(200 + i), 0, false, rid: "r1"));
            }
            // Switching to r1 takes both encodings' sender reports (their timestamps are mapped through them).
            var ntp = NtpTime.Now();
            media.Sending.Receive(MediaHarness.SenderReport(Low, ntp, 15000));
            media.Sending.Receive(MediaHarness.SenderReport(High, ntp, 15007));
            var requests = media.Producer.Streams[1].KeyFrameRequests;
            media.Consumer.SetPreferredLayers(1, 2);
            for (ushort i = 6; i < 10; i++)
            {
                media.Sending.Receive(MediaHarness.Vp8Layered(Low, (ushort)(100 + i), i * 3000u, keyFrame: false,
                    pictureId: (ushort)(20 + i), tl0PictureIndex: (byte)(9 + i), 0, false, rid: "r0"));
                media.Sending.Receive(MediaHarness.Vp8Layered(High, (ushort)(40000 + i), i * 3000u + 7, keyFrame: i == 8,
                    pictureId: (ushort)(9000 + i), tl0PictureIndex: (byte)(200 + i), 0, false, rid: "r1"));
            }
            return (SentPackets(media), media.Events.OfType<ConsumerLayersChanged>().ToList(), media.Producer.Streams[1].KeyFrameRequests - requests);
        });

        // r0 pictures 0–8 (r0's 8 goes before r1's key frame 8), then r1 pictures 8 and 9.
        Assert.Equal(9 + 2, sent.Count);
        AssertContinuous(sent);
        Assert.All(sent.Zip(sent.Skip(1)), pair => Assert.Equal((byte)(pair.First.Tl0PictureIndex + 1), pair.Second.Tl0PictureIndex));
        Assert.True(keyFrameRequests >= 1);
        Assert.Equal(new ConsumerLayersChanged("c", 0, 0), events[0]);
        Assert.Equal(new ConsumerLayersChanged("c", 1, 0), events[^1]);
    }
}
