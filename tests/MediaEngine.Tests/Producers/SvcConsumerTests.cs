using MediaEngine.Consumers;
using MediaEngine.Rtp.Packets;

namespace MediaEngine.Tests.Producers;

/// <summary>VP9 SVC consumers: one stream in, the preferred spatial and temporal layers out, without gaps.</summary>
public sealed class SvcConsumerTests
{
    private const uint Ssrc = 3333;

    [Fact]
    public async Task Preferred_layers_0_0_forward_the_base_layer_marked_and_without_gaps()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp9SvcJson);
        int[] pattern = [0, 2, 1, 2];
        var (sent, events) = await media.OnWorker(() =>
        {
            media.Consumer.SetPreferredLayers(0, 0);
            ushort seq = 500;
            for (ushort picture = 0; picture < 12; picture++)
            {
                for (var spatial = 0; spatial < 3; spatial++)
                    media.Sending.Receive(MediaHarness.Vp9(Ssrc, seq++, picture * 3000u, picture, spatial, pattern[picture % 4],
                        interPicture: picture != 0, marker: spatial == 2));
            }
            var packets = media.Receiving.SentRtp.Select(p =>
            {
                Assert.True(RtpPacket.TryParse(p.AsSpan(), out var rtp));
                return (rtp.SequenceNumber, rtp.Marker, rtp.Timestamp);
            }).ToList();
            return (packets, media.Events.OfType<ConsumerLayersChanged>().ToList());
        });

        Assert.Equal(3, sent.Count); // pictures 0, 4 and 8: spatial 0, temporal 0
        Assert.All(sent, p => Assert.True(p.Marker));
        Assert.Equal((ushort)(sent[0].SequenceNumber + 1), sent[1].SequenceNumber);
        Assert.Equal((ushort)(sent[1].SequenceNumber + 1), sent[2].SequenceNumber);
        Assert.Equal(new ConsumerLayersChanged("c", 0, 0), Assert.Single(events));
        Assert.Equal((0, 0), await media.OnWorker(() => (media.Consumer.CurrentSpatialLayer, media.Consumer.CurrentTemporalLayer)));
    }

    [Fact]
    public async Task Raising_the_preferred_spatial_layer_asks_for_a_key_frame_and_switches_on_it()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp9SvcJson);
        ushort seq = 0;
        void Superframe(ushort picture, bool key)
        {
            for (var spatial = 0; spatial < 3; spatial++)
                media.Sending.Receive(MediaHarness.Vp9(Ssrc, seq++, picture * 3000u, picture, spatial, 0, interPicture: !key, marker: spatial == 2));
        }

        await media.OnWorker(() =>
        {
            media.Consumer.SetPreferredLayers(0, 2);
            Superframe(0, key: true);
            Superframe(1, key: false);
        });
        await Task.Delay(700); // past the producer's 500 ms key frame request throttle
        var (requests, beforeKey, afterKey) = await media.OnWorker(() =>
        {
            var before = media.Producer.Streams[0].KeyFrameRequests;
            media.Consumer.SetPreferredLayers(2, 2);
            Superframe(2, key: false);
            var atLayer0 = media.Consumer.CurrentSpatialLayer;
            Superframe(3, key: true);
            return (media.Producer.Streams[0].KeyFrameRequests - before, atLayer0, media.Consumer.CurrentSpatialLayer);
        });

        Assert.Equal(1, requests);
        Assert.Equal(0, beforeKey);
        Assert.Equal(2, afterKey);
    }

    [Fact]
    public async Task A_key_frame_request_the_throttle_dropped_is_made_again_until_the_switch()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp9SvcJson);
        ushort seq = 0;
        void Superframe(ushort picture, bool key)
        {
            for (var spatial = 0; spatial < 3; spatial++)
                media.Sending.Receive(MediaHarness.Vp9(Ssrc, seq++, picture * 3000u, picture, spatial, 0, interPicture: !key, marker: spatial == 2));
        }

        await media.OnWorker(() =>
        {
            Superframe(0, key: true);
            Superframe(1, key: true); // upper layers now seen: on layer 2
        });
        await Task.Delay(700);
        var (layer, thrown) = await media.OnWorker(() =>
        {
            media.Consumer.RequestKeyFrame(); // the receiver's PLI: the next request within 500 ms is dropped
            var before = media.Producer.Streams[0].KeyFrameRequests;
            media.Consumer.SetPreferredLayers(0, 0); // K-SVC: moving down waits for a key frame
            Superframe(2, key: false);
            return (media.Consumer.CurrentSpatialLayer, media.Producer.Streams[0].KeyFrameRequests - before);
        });
        Assert.Equal(2, layer);
        Assert.Equal(0, thrown);

        await Task.Delay(700);
        var (requests, afterKey) = await media.OnWorker(() =>
        {
            var before = media.Producer.Streams[0].KeyFrameRequests;
            Superframe(3, key: false);
            var asked = media.Producer.Streams[0].KeyFrameRequests - before;
            Superframe(4, key: true);
            return (asked, media.Consumer.CurrentSpatialLayer);
        });
        Assert.Equal(1, requests);
        Assert.Equal(0, afterKey);
    }

    [Fact]
    public async Task A_browser_sending_fewer_spatial_layers_than_announced_is_followed_to_its_top_layer()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp9SvcJson);
        ushort seq = 0;
        void Superframe(ushort picture, bool key)
        {
            for (var spatial = 0; spatial < 2; spatial++) // L3T3_KEY announced, two layers sent (Chrome at 640×480)
                media.Sending.Receive(MediaHarness.Vp9(Ssrc, seq++, picture * 3000u, picture, spatial, 0, interPicture: !key, marker: spatial == 1));
        }

        // One worker turn: no timer may run between the frames (the layers' bitrates are measured per second).
        var (afterFirst, requests, layer, sent, events) = await media.OnWorker(() =>
        {
            Superframe(0, key: true);
            Superframe(1, key: false);
            var (afterFirst, requests) = (media.Consumer.CurrentSpatialLayer, media.Producer.Streams[0].KeyFrameRequests);
            Superframe(2, key: true);
            var before = media.Receiving.SentRtp.Count;
            Superframe(3, key: false);
            return (afterFirst, requests, media.Consumer.CurrentSpatialLayer, media.Receiving.SentRtp.Count - before,
                media.Events.OfType<ConsumerLayersChanged>().ToList());
        });

        Assert.Equal(0, afterFirst); // nothing known of upper layers at the first key frame
        Assert.True(requests >= 1);  // layer 1 showed up: a key frame to move up
        Assert.Equal(1, layer);
        Assert.Equal(1, sent);       // K-SVC delta frames: only the current spatial layer is needed
        Assert.Equal(new ConsumerLayersChanged("c", 1, 0), events[^1]);
    }
}
