using MediaEngine.Consumers;
using MediaEngine.Producers;

namespace MediaEngine.Workers;

/// <summary>getProducerStats / getConsumerStats entries, shaped like mediasoup's.</summary>
internal static class MediaStats
{
    public static object[] Of(Producer producer)
    {
        var mimeType = producer.ConsumableRtpParameters.Codecs[0].MimeType;
        return producer.Streams
            .Where(s => s.Ssrc is not null)
            .Select(s => (object)Inbound(producer, s, mimeType))
            .ToArray();
    }

    public static object[] Of(Consumer consumer)
    {
        var mimeType = consumer.RtpParameters.Codecs[0].MimeType;
        var outbound = new Dictionary<string, object?>
        {
            ["type"] = "outbound-rtp",
            ["timestamp"] = Now,
            ["ssrc"] = consumer.Ssrc,
            ["kind"] = consumer.Kind,
            ["mimeType"] = mimeType,
            ["packetCount"] = consumer.PacketsSent,
            ["byteCount"] = consumer.BytesSent,
            ["packetsLost"] = consumer.SendStream.PacketsLost,
            ["fractionLost"] = consumer.SendStream.FractionLost,
            ["roundTripTime"] = consumer.SendStream.Rtt.TotalMilliseconds,
            ["packetsRetransmitted"] = consumer.PacketsRetransmitted,
            ["nackCount"] = consumer.SendStream.NackCount,
            ["score"] = (int)consumer.SendStream.Score,
        };
        if (consumer.Type != Rtp.ProducerType.Simple)
        {
            // Not in mediasoup's stats (it has them in consumer.dump()): the layers being forwarded, null while none.
            outbound["currentSpatialLayer"] = consumer.CurrentSpatialLayer < 0 ? null : consumer.CurrentSpatialLayer;
            outbound["currentTemporalLayer"] = consumer.CurrentTemporalLayer < 0 ? null : consumer.CurrentTemporalLayer;
        }
        var layer = Math.Max(consumer.CurrentSpatialLayer, 0);
        var source = consumer.Producer.Streams.ElementAtOrDefault(layer);
        return source is null ? [outbound] : [outbound, Inbound(consumer.Producer, source, consumer.Producer.ConsumableRtpParameters.Codecs[0].MimeType)];
    }

    private static Dictionary<string, object?> Inbound(Producer producer, ProducerStream stream, string mimeType)
    {
        var entry = InboundFields(producer, stream, mimeType);
        // Absent rather than null, as in mediasoup.
        if (stream.RtxSsrc is null)
            entry.Remove("rtxSsrc");
        if (stream.Rid is null)
            entry.Remove("rid");
        return entry;
    }

    private static Dictionary<string, object?> InboundFields(Producer producer, ProducerStream stream, string mimeType) => new()
    {
        ["type"] = "inbound-rtp",
        ["timestamp"] = Now,
        ["ssrc"] = stream.Ssrc,
        ["rtxSsrc"] = stream.RtxSsrc,
        ["rid"] = stream.Rid,
        ["kind"] = producer.Kind,
        ["mimeType"] = mimeType,
        ["packetCount"] = stream.PacketCount,
        ["byteCount"] = stream.ByteCount,
        ["pliCount"] = stream.KeyFrameRequests,
        ["nackCount"] = stream.Receiver?.NackCount ?? 0,
        ["nackPacketCount"] = stream.Receiver?.NackPacketCount ?? 0,
        ["packetsRetransmitted"] = stream.Receiver?.PacketsRetransmitted ?? 0,
        ["packetsRepaired"] = stream.Receiver?.PacketsRepaired ?? 0,
        ["packetsDiscarded"] = stream.Receiver?.PacketsDiscarded ?? 0,
        ["packetsLost"] = stream.Receiver?.PacketsLost ?? 0,
        ["fractionLost"] = stream.Receiver?.FractionLost ?? 0,
        ["jitter"] = stream.Receiver?.Jitter ?? 0,
        ["score"] = (int?)stream.Receiver?.Score ?? 10,
    };

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
