using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MediaEngine.Rtcp;
using MediaEngine.Tests.Producers;
using MediaEngine.Workers;

namespace MediaEngine.Tests.Workers;

/// <summary>
/// getProducerStats / getConsumerStats entries as JSON (camelCase, nulls left out, as the signaling
/// writes them): mediasoup 3.27's fields in its order, then ours; and the counters behind them.
/// </summary>
public sealed class MediaStatsTests
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private static readonly string[] SharedFields =
    [
        "packetsLost", "fractionLost", "jitter", "packetsDiscarded", "packetsRetransmitted", "packetsRepaired", "nackCount",
        "nackPacketCount", "pliCount", "firCount", "roundTripTime", "score", "type", "byteCount", "packetCount", "bitrate",
    ];

    private static JsonArray ToWire(object[] entries) => JsonNode.Parse(JsonSerializer.Serialize(entries, Wire))!.AsArray();

    [Fact]
    public async Task A_simulcast_producer_stream_lists_mediasoups_fields_and_its_bitrate_up_to_each_temporal_layer()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        int[] pattern = [0, 2, 1, 2];
        await media.OnWorker(() =>
        {
            for (ushort i = 0; i < 40; i++)
            {
                media.Sending.Receive(MediaHarness.Vp8Layered(0xA0A0, (ushort)(100 + i), i * 3000u, keyFrame: i == 0,
                    pictureId: (ushort)(10 + i), tl0PictureIndex: (byte)(i / 4), pattern[i % 4], layerSync: true, rid: "r0"));
            }
        });
        JsonArray stats = [];
        long bitrate = 0;
        long[] layers = [];
        await media.WaitUntil(() =>
        {
            var stream = media.Producer.Streams[0];
            if (stream.Bitrate == 0)
                return false;
            stats = ToWire(MediaStats.Of(media.Producer));
            bitrate = stream.Bitrate;
            layers = [stream.LayerBitrate(0, 0), stream.LayerBitrate(0, 1), stream.LayerBitrate(0, 2)];
            return true;
        }, "the first bitrate window to close");

        var entry = Assert.Single(stats)!.AsObject(); // r1 sent nothing: no entry
        Assert.Equal(["timestamp", "ssrc", "rid", "kind", "mimeType", .. SharedFields, "bitrateByLayer"], entry.Select(p => p.Key));
        Assert.Equal("inbound-rtp", entry["type"]!.GetValue<string>());
        Assert.Equal("r0", entry["rid"]!.GetValue<string>());
        Assert.Equal(40, entry["packetCount"]!.GetValue<long>());
        Assert.Equal(bitrate, entry["bitrate"]!.GetValue<long>());
        Assert.All(layers, layer => Assert.True(layer > 0));
        var byLayer = entry["bitrateByLayer"]!.AsObject();
        Assert.Equal(["0.0", "0.1", "0.2"], byLayer.Select(p => p.Key));
        Assert.Equal([layers[0], layers[0] + layers[1], layers[0] + layers[1] + layers[2]], byLayer.Select(p => p.Value!.GetValue<long>()));
    }

    [Fact]
    public async Task A_consumer_lists_its_stream_with_rtx_and_the_key_frame_requests_it_got_then_the_producer_stream()
    {
        using var media = await MediaHarness.StartAsync();
        var stats = await media.OnWorker(() =>
        {
            for (ushort i = 0; i < 10; i++)
                media.Sending.Receive(MediaHarness.Vp8(1111, (ushort)(500 + i), i * 3000u, keyFrame: i == 0, fill: (byte)i));
            var buffer = new byte[100];
            var ssrc = media.Consumer.Ssrc;
            media.Receiving.Receive(buffer[..FeedbackPsPliPacket.Write(buffer, 77, ssrc)]);
            media.Receiving.Receive(buffer[..FeedbackPsPliPacket.Write(buffer, 77, ssrc)]);
            media.Receiving.Receive(buffer[..FeedbackPsFirPacket.Write(buffer, 77, 0, [new FeedbackPsFirItem(ssrc, 1)])]);
            return ToWire(MediaStats.Of(media.Consumer));
        });

        Assert.Equal(2, stats.Count);
        var outbound = stats[0]!.AsObject();
        Assert.Equal(["timestamp", "ssrc", "rtxSsrc", "kind", "mimeType", .. SharedFields], outbound.Select(p => p.Key));
        Assert.Equal("outbound-rtp", outbound["type"]!.GetValue<string>());
        Assert.Equal(media.Consumer.RtpParameters.Encodings[0].Rtx!.Ssrc, outbound["rtxSsrc"]!.GetValue<uint>());
        Assert.Equal(2, outbound["pliCount"]!.GetValue<long>());
        Assert.Equal(1, outbound["firCount"]!.GetValue<long>());
        Assert.Equal(10, outbound["packetCount"]!.GetValue<long>());
        // Everything was sent within the stream's 2.5 s window.
        Assert.Equal(outbound["byteCount"]!.GetValue<long>() * 8 * 1000 / 2500, outbound["bitrate"]!.GetValue<long>());

        var inbound = stats[1]!.AsObject();
        Assert.Equal(["timestamp", "ssrc", "rtxSsrc", "kind", "mimeType", .. SharedFields, "bitrateByLayer"], inbound.Select(p => p.Key));
        Assert.Equal(2222u, inbound["rtxSsrc"]!.GetValue<uint>());
        Assert.Empty(inbound["bitrateByLayer"]!.AsObject()); // a single layer
    }

    [Fact]
    public async Task Transports_count_retransmissions_both_ways_with_their_bitrates()
    {
        using var media = await MediaHarness.StartAsync();
        var (received, sent) = await media.OnWorker(() =>
        {
            for (ushort i = 0; i < 10; i++)
                media.Sending.Receive(MediaHarness.Vp8(1111, (ushort)(500 + i), i * 3000u, keyFrame: i == 0, fill: (byte)i));
            var lost = MediaHarness.Parse(MediaHarness.Vp8(1111, 503, 9000, keyFrame: false, fill: 3));
            var rtx = MediaHarness.Rtx(2222, 1, lost.Seq, 9000, lost.Payload);
            media.Sending.Receive(rtx);

            var firstSent = MediaHarness.Parse(media.Receiving.SentRtp[0]).Seq;
            var buffer = new byte[100];
            media.Receiving.Receive(buffer[..FeedbackRtpNackPacket.Write(buffer, 77, media.Consumer.Ssrc, [new FeedbackRtpNackItem(firstSent, 0)])]);
            var resent = media.Receiving.SentRtp[^1].Length;
            return ((Length: rtx.Length, Bytes: media.Sending.Counters.RtxBytesReceived, Bitrate: media.Sending.Bitrates().RtxReceive),
                (Length: resent, Bytes: media.Receiving.Counters.RtxBytesSent, Bitrate: media.Receiving.Bitrates().RtxSend));
        });

        // One packet each way, within the 1 s window.
        Assert.Equal((received.Length, received.Length * 8L), (received.Bytes, received.Bitrate));
        Assert.Equal((sent.Length, sent.Length * 8L), (sent.Bytes, sent.Bitrate));
    }
}
