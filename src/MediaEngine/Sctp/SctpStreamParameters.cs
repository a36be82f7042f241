namespace MediaEngine.Sctp;

/// <summary>
/// mediasoup's sctpStreamParameters of a DataProducer or DataConsumer: the stream and how reliably
/// its messages are delivered. At most one of <see cref="MaxPacketLifeTime"/> (ms) and
/// <see cref="MaxRetransmits"/> is set; neither means fully reliable.
/// </summary>
public sealed record SctpStreamParameters
{
    public SctpStreamParameters(ushort streamId, bool ordered = true, ushort? maxPacketLifeTime = null, ushort? maxRetransmits = null)
    {
        if (maxPacketLifeTime is not null && maxRetransmits is not null)
        {
            throw new ArgumentException("maxPacketLifeTime and maxRetransmits cannot both be given.", nameof(maxRetransmits));
        }

        StreamId = streamId;
        Ordered = ordered;
        MaxPacketLifeTime = maxPacketLifeTime;
        MaxRetransmits = maxRetransmits;
    }

    public ushort StreamId { get; }

    public bool Ordered { get; }

    public ushort? MaxPacketLifeTime { get; }

    public ushort? MaxRetransmits { get; }

    /// <summary>
    /// Parameters as mediasoup validates them: ordered defaults to true, or to false when a
    /// lifetime or retransmission limit is given; ordered with such a limit is refused.
    /// </summary>
    public static SctpStreamParameters FromMediasoup(ushort streamId, bool? ordered, ushort? maxPacketLifeTime, ushort? maxRetransmits)
    {
        bool partiallyReliable = maxPacketLifeTime is not null || maxRetransmits is not null;
        if (ordered == true && partiallyReliable)
        {
            throw new ArgumentException("An ordered stream cannot have maxPacketLifeTime or maxRetransmits.", nameof(ordered));
        }

        return new SctpStreamParameters(streamId, ordered ?? !partiallyReliable, maxPacketLifeTime, maxRetransmits);
    }

    /// <summary>Parameters of the stream a DATA_CHANNEL_OPEN arrived on; limits beyond 65,535 are capped.</summary>
    public static SctpStreamParameters FromDataChannelOpen(ushort streamId, DataChannelOpenMessage open)
    {
        ushort limit = (ushort)Math.Min(open.ReliabilityParameter, ushort.MaxValue);
        return ((byte)open.ChannelType & 0x7F) switch
        {
            0x01 => new SctpStreamParameters(streamId, open.IsOrdered, maxRetransmits: limit),
            0x02 => new SctpStreamParameters(streamId, open.IsOrdered, maxPacketLifeTime: limit),
            _ => new SctpStreamParameters(streamId, open.IsOrdered),
        };
    }

    public DataChannelType ChannelType
    {
        get
        {
            byte reliability = MaxRetransmits is not null ? (byte)0x01 : MaxPacketLifeTime is not null ? (byte)0x02 : (byte)0x00;
            return (DataChannelType)(reliability | (Ordered ? 0x00 : 0x80));
        }
    }

    /// <summary>The DCEP reliability parameter: the retransmission or lifetime limit, 0 when reliable.</summary>
    public uint ReliabilityParameter => MaxRetransmits ?? MaxPacketLifeTime ?? 0;

    public DataChannelOpenMessage ToDataChannelOpen(string label, string protocol, ushort priority = 256) =>
        new(ChannelType, priority, ReliabilityParameter, label, protocol);
}
