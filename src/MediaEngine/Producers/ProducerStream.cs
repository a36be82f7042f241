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
        Bitrate = (uint)Math.Min(uint.MaxValue, (ByteCount - _bitrateWindowBytes) * 8 / elapsed.TotalSeconds);
        _bitrateWindowBytes = ByteCount;
        for (var layer = 0; layer < _spatialLayerBytes.Length; layer++)
        {
            _spatialLayerBitrates[layer] = (uint)Math.Min(uint.MaxValue, (_spatialLayerBytes[layer] - _spatialLayerWindowBytes[layer]) * 8 / elapsed.TotalSeconds);
            _spatialLayerWindowBytes[layer] = _spatialLayerBytes[layer];
        }
        _bitrateWindowStart = now;
    }
    public long KeyFrames { get; internal set; }
    public TimeSpan? LastKeyFrameRequest { get; internal set; }
    public long KeyFrameRequests { get; internal set; }

    private readonly TimeSpan?[] _spatialLayerSeenAt = new TimeSpan?[8];
    private readonly long[] _spatialLayerBytes = new long[8];
    private readonly long[] _spatialLayerWindowBytes = new long[8];
    private readonly uint[] _spatialLayerBitrates = new uint[8];

    /// <summary>SVC: a packet of <paramref name="size"/> bytes of spatial layer <paramref name="spatialLayer"/> arrived.</summary>
    internal void SpatialLayerSeen(int spatialLayer, int size, TimeSpan now)
    {
        _spatialLayerSeenAt[spatialLayer] = now;
        _spatialLayerBytes[spatialLayer] += size;
    }

    /// <summary>
    /// SVC: bits per second (over the last full second) a consumer forwarding up to
    /// <paramref name="spatialLayer"/> sends: that layer and those below it, which it predicts
    /// from; in K-SVC only at key frames, so that layer alone.
    /// </summary>
    public uint SpatialLayerBitrate(int spatialLayer, bool ksvc)
    {
        if (ksvc)
            return _spatialLayerBitrates[spatialLayer];
        ulong sum = 0;
        for (var layer = 0; layer <= spatialLayer; layer++)
            sum += _spatialLayerBitrates[layer];
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
