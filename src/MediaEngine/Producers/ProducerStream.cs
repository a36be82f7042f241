using MediaEngine.RtpStreams;

namespace MediaEngine.Producers;

/// <summary>One encoding of a producer as it arrives: its SSRC once known, and its counters.</summary>
public sealed class ProducerStream(int encodingIndex, uint mappedSsrc, string? rid, uint? ssrc)
{
    public int EncodingIndex { get; } = encodingIndex;
    public uint MappedSsrc { get; } = mappedSsrc;
    public string? Rid { get; } = rid;

    /// <summary>The browser's SSRC: signalled, or learned from the first packet carrying the RID.</summary>
    public uint? Ssrc { get; internal set; } = ssrc;

    /// <summary>The SSRC of the browser's retransmissions (RTX) for this encoding: signalled, or learned from the repaired-RID.</summary>
    public uint? RtxSsrc { get; internal set; }

    public long PacketCount { get; internal set; }

    /// <summary>Worker time of the last packet; a stream quiet for a second is inactive (the browser dropped that layer).</summary>
    public TimeSpan? LastPacketAt { get; internal set; }

    public bool IsActive(TimeSpan now) => LastPacketAt is { } last && now - last < TimeSpan.FromSeconds(1);
    public long ByteCount { get; internal set; }

    /// <summary>Bits per second received over the last full second.</summary>
    public uint Bitrate { get; private set; }

    private long _bitrateWindowBytes;
    private TimeSpan _bitrateWindowStart;

    /// <summary>Closes the bitrate window once a second has passed.</summary>
    internal void UpdateBitrate(TimeSpan now)
    {
        if (ByteCount == 0)
        {
            _bitrateWindowStart = now; // the first window opens with the stream
            return;
        }
        var elapsed = now - _bitrateWindowStart;
        if (elapsed < TimeSpan.FromSeconds(1))
            return;
        Bitrate = BitsPerSecond(ByteCount - _bitrateWindowBytes, elapsed);
        _bitrateWindowBytes = ByteCount;
        for (var layer = 0; layer < _layerBytes.Length; layer++)
        {
            _layerBitrates[layer] = BitsPerSecond(_layerBytes[layer] - _layerWindowBytes[layer], elapsed);
            _layerWindowBytes[layer] = _layerBytes[layer];
        }
        _bitrateWindowStart = now;
    }

    private static uint BitsPerSecond(long bytes, TimeSpan elapsed) => (uint)Math.Min(uint.MaxValue, bytes * 8 / elapsed.TotalSeconds);

    public long KeyFrames { get; internal set; }
    public TimeSpan? LastKeyFrameRequest { get; internal set; }
    public long KeyFrameRequests { get; internal set; }

    /// <summary>Spatial and temporal layer indices as the VP8/VP9 descriptors carry them (3 bits each at most).</summary>
    public const int MaxLayers = 8;

    private readonly TimeSpan?[] _spatialLayerSeenAt = new TimeSpan?[MaxLayers];
    private readonly long[] _layerBytes = new long[MaxLayers * MaxLayers];
    private readonly long[] _layerWindowBytes = new long[MaxLayers * MaxLayers];
    private readonly uint[] _layerBitrates = new uint[MaxLayers * MaxLayers];

    /// <summary>
    /// A packet of <paramref name="size"/> bytes of layer (<paramref name="spatialLayer"/>,
    /// <paramref name="temporalLayer"/>) arrived; a simulcast stream's packets are all of spatial
    /// layer 0, and packets whose codec tells no layer are of layer (0, 0).
    /// </summary>
    internal void LayerSeen(int spatialLayer, int temporalLayer, int size, TimeSpan now)
    {
        _spatialLayerSeenAt[spatialLayer] = now;
        _layerBytes[spatialLayer * MaxLayers + temporalLayer] += size;
    }

    /// <summary>Bits per second (over the last full second) of layer (<paramref name="spatialLayer"/>, <paramref name="temporalLayer"/>) alone.</summary>
    public uint LayerBitrate(int spatialLayer, int temporalLayer) => _layerBitrates[spatialLayer * MaxLayers + temporalLayer];

    /// <summary>
    /// Bits per second (over the last full second) a consumer forwarding up to layer
    /// (<paramref name="spatialLayer"/>, <paramref name="temporalLayer"/>) sends: the temporal
    /// layers up to that one, of that spatial layer and those below it, which it predicts from;
    /// in K-SVC of that spatial layer alone (the others only at key frames).
    /// </summary>
    public uint LayersBitrate(int spatialLayer, int temporalLayer, bool ksvc = false)
    {
        ulong sum = 0;
        for (var spatial = ksvc ? spatialLayer : 0; spatial <= spatialLayer; spatial++)
        {
            for (var temporal = 0; temporal <= temporalLayer; temporal++)
                sum += _layerBitrates[spatial * MaxLayers + temporal];
        }
        return (uint)Math.Min(uint.MaxValue, sum);
    }

    /// <summary>SVC: the highest spatial layer seen within the last second; 0 when none.</summary>
    public int HighestActiveSpatialLayer(TimeSpan now)
    {
        for (var layer = _spatialLayerSeenAt.Length - 1; layer > 0; layer--)
        {
            if (_spatialLayerSeenAt[layer] is { } seen && now - seen < TimeSpan.FromSeconds(1))
                return layer;
        }
        return 0;
    }

    /// <summary>Packets that arrived on the RTX SSRC, whether or not they repaired anything (probes, duplicates).</summary>
    public long RtxPacketCount { get; internal set; }

    /// <summary>The score last announced in a <see cref="ProducerScore"/> event.</summary>
    internal byte ReportedScore { get; set; } = 10;

    /// <summary>Loss, jitter, NACK generation and score of what arrives; set with the SSRC.</summary>
    public RtpStreamRecv? Receiver { get; internal set; }

    /// <summary>Whether the browser sent a sender report for this encoding (its NTP ↔ RTP timestamp mapping).</summary>
    public bool HasSenderReport => Receiver is { HasSenderReport: true };
}
