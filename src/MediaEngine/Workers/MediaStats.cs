using MediaEngine.Consumers;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.RtpStreams;

namespace MediaEngine.Workers;

/// <summary>
/// getProducerStats / getConsumerStats entries, with mediasoup 3.27's fields in its order and ours
/// after them. Fields mediasoup leaves out when unset are absent, not null.
/// </summary>
internal static class MediaStats
{
    public static object[] Of(Producer producer) =>
        producer.Streams
            .Where(s => s.Receiver is not null)
            .Select(s => (object)Inbound(producer, s))
            .ToArray();

    public static object[] Of(Consumer consumer)
    {
        var stream = consumer.SendStream;
        var outbound = Entry("outbound-rtp", stream, consumer.RtpParameters.Encodings[0].Rtx?.Ssrc, rid: null, consumer.Kind,
            consumer.RtpParameters.Codecs[0].MimeType, stream.Jitter, consumer.PacketsRetransmitted, stream.NackCount,
            stream.NackPacketCount, stream.PliCount, stream.FirCount, consumer.BytesSent, consumer.PacketsSent,
            stream.GetBitrate(consumer.Transport.Now));
        if (consumer.Type != ProducerType.Simple)
        {
            // Not in mediasoup's stats (it has them in consumer.dump()): the layers being forwarded, null while none.
            outbound["currentSpatialLayer"] = consumer.CurrentSpatialLayer < 0 ? null : consumer.CurrentSpatialLayer;
            outbound["currentTemporalLayer"] = consumer.CurrentTemporalLayer < 0 ? null : consumer.CurrentTemporalLayer;
        }
        var layer = Math.Max(consumer.CurrentSpatialLayer, 0);
        return consumer.Producer.Streams.ElementAtOrDefault(layer) is { Receiver: not null } source
            ? [outbound, Inbound(consumer.Producer, source)]
            : [outbound];
    }

    private static Dictionary<string, object?> Inbound(Producer producer, ProducerStream stream)
    {
        var receiver = stream.Receiver!;
        // We ask for key frames with PLI only, so firCount stays 0; and we send no XR receiver
        // reference time for the browser to echo, so roundTripTime is never measured and stays 0.
        var entry = Entry("inbound-rtp", receiver, stream.RtxSsrc, stream.Rid, producer.Kind,
            producer.ConsumableRtpParameters.Codecs[0].MimeType, receiver.Jitter, receiver.PacketsRetransmitted,
            receiver.NackCount, receiver.NackPacketCount, pliCount: stream.KeyFrameRequests, firCount: 0, stream.ByteCount,
            stream.PacketCount, stream.Bitrate);
        var encodings = producer.RtpParameters.Encodings;
        var mode = ScalabilityMode.Parse(stream.EncodingIndex < encodings.Count ? encodings[stream.EncodingIndex].ScalabilityMode : null);
        entry["bitrateByLayer"] = BitrateByLayer(stream, mode);
        return entry;
    }

    /// <summary>mediasoup's RtpStream stats: the fields both directions share, then the type and the counts.</summary>
    private static Dictionary<string, object?> Entry(string type, RtpStream stream, uint? rtxSsrc, string? rid, string kind,
        string mimeType, uint jitter, long packetsRetransmitted, long nackCount, long nackPacketCount, long pliCount, long firCount,
        long byteCount, long packetCount, long bitrate)
    {
        var entry = new Dictionary<string, object?> { ["timestamp"] = Now, ["ssrc"] = stream.Ssrc };
        if (rtxSsrc is not null)
            entry["rtxSsrc"] = rtxSsrc;
        if (rid is not null)
            entry["rid"] = rid;
        entry["kind"] = kind;
        entry["mimeType"] = mimeType;
        entry["packetsLost"] = stream.PacketsLost;
        entry["fractionLost"] = stream.FractionLost;
        entry["jitter"] = jitter;
        entry["packetsDiscarded"] = stream.PacketsDiscarded;
        entry["packetsRetransmitted"] = packetsRetransmitted;
        entry["packetsRepaired"] = stream.PacketsRepaired;
        entry["nackCount"] = nackCount;
        entry["nackPacketCount"] = nackPacketCount;
        entry["pliCount"] = pliCount;
        entry["firCount"] = firCount;
        entry["roundTripTime"] = stream.Rtt.TotalMilliseconds;
        entry["score"] = (int)stream.Score;
        entry["type"] = type;
        entry["byteCount"] = byteCount;
        entry["packetCount"] = packetCount;
        entry["bitrate"] = bitrate;
        return entry;
    }

    /// <summary>
    /// mediasoup's bitrateByLayer: per layer "spatial.temporal", what a receiver of that layer gets
    /// (every temporal layer of the spatial layers below, and this one's up to that temporal layer),
    /// 0 while the layer itself does not arrive; empty for a single-layer stream.
    /// </summary>
    private static Dictionary<string, long> BitrateByLayer(ProducerStream stream, ScalabilityMode mode)
    {
        var byLayer = new Dictionary<string, long>();
        var spatialLayers = Math.Min(mode.SpatialLayers, ProducerStream.MaxLayers);
        var temporalLayers = Math.Min(mode.TemporalLayers, ProducerStream.MaxLayers);
        if (spatialLayers == 1 && temporalLayers == 1)
            return byLayer;
        long lowerSpatialLayers = 0;
        for (var spatial = 0; spatial < spatialLayers; spatial++)
        {
            long upToTemporal = 0;
            for (var temporal = 0; temporal < temporalLayers; temporal++)
            {
                var layer = stream.LayerBitrate(spatial, temporal);
                upToTemporal += layer;
                byLayer[$"{spatial}.{temporal}"] = layer == 0 ? 0 : lowerSpatialLayers + upToTemporal;
            }
            lowerSpatialLayers += upToTemporal;
        }
        return byLayer;
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
