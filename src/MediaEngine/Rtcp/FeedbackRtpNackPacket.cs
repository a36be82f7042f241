namespace MediaEngine.Rtcp;

/// <summary>View over a generic NACK packet (RTPFB, FMT 1; RFC 4585 §6.2.1).</summary>
public readonly ref struct FeedbackRtpNackPacket
{
    private readonly ReadOnlySpan<byte> _body;

    private FeedbackRtpNackPacket(ReadOnlySpan<byte> body, int itemCount)
    {
        _body = body;
        ItemCount = itemCount;
    }

    public uint SenderSsrc => FeedbackPacketLayout.ReadSenderSsrc(_body);

    public uint MediaSsrc => FeedbackPacketLayout.ReadMediaSsrc(_body);

    public int ItemCount { get; }

    public FeedbackRtpNackSequenceNumberEnumerator LostSequenceNumbers =>
        new(_body.Slice(FeedbackPacketLayout.SsrcsLength, ItemCount * FeedbackRtpNackItem.Length));

    /// <summary>Needs at least one item; trailing bytes short of a whole item are ignored, as in libwebrtc.</summary>
    public static bool TryParse(RtcpPacket packet, out FeedbackRtpNackPacket nackPacket)
    {
        nackPacket = default;
        if (!FeedbackPacketLayout.TryGetFci(packet, RtcpPacketType.RtpFeedback, (byte)FeedbackRtpMessageType.Nack, out ReadOnlySpan<byte> fci)
            || fci.Length < FeedbackRtpNackItem.Length)
        {
            return false;
        }

        nackPacket = new FeedbackRtpNackPacket(packet.Body, fci.Length / FeedbackRtpNackItem.Length);
        return true;
    }

    public FeedbackRtpNackItem GetItem(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ItemCount);
        return FeedbackRtpNackItem.Read(_body[(FeedbackPacketLayout.SsrcsLength + index * FeedbackRtpNackItem.Length)..]);
    }

    public static int GetLength(int itemCount) => FeedbackPacketLayout.FciOffset + itemCount * FeedbackRtpNackItem.Length;

    /// <summary>
    /// Writes a NACK packet and returns its length; <see cref="FeedbackRtpNackItem.Pack"/> builds
    /// the items from a list of lost sequence numbers.
    /// </summary>
    public static int Write(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<FeedbackRtpNackItem> items)
    {
        if (items.IsEmpty)
        {
            throw new ArgumentException("A NACK packet needs at least one item.", nameof(items));
        }

        int length = GetLength(items.Length);
        FeedbackPacketLayout.WriteHeader(
            destination, RtcpPacketType.RtpFeedback, (byte)FeedbackRtpMessageType.Nack, length, senderSsrc, mediaSsrc);
        for (int index = 0; index < items.Length; index++)
        {
            items[index].Write(destination[(FeedbackPacketLayout.FciOffset + index * FeedbackRtpNackItem.Length)..]);
        }

        return length;
    }
}
