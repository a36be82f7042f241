namespace MediaEngine.Rtcp;

/// <summary>
/// View over a Full Intra Request (PSFB, FMT 4; RFC 5104 §4.3.1). RFC 5104 sets the media SSRC
/// of the common feedback header to 0 and names the targets in the items instead.
/// </summary>
public readonly ref struct FeedbackPsFirPacket
{
    private readonly ReadOnlySpan<byte> _body;

    private FeedbackPsFirPacket(ReadOnlySpan<byte> body, int itemCount)
    {
        _body = body;
        ItemCount = itemCount;
    }

    public uint SenderSsrc => FeedbackPacketLayout.ReadSenderSsrc(_body);

    public uint MediaSsrc => FeedbackPacketLayout.ReadMediaSsrc(_body);

    public int ItemCount { get; }

    /// <summary>Needs at least one item; trailing bytes short of a whole item are ignored.</summary>
    public static bool TryParse(RtcpPacket packet, out FeedbackPsFirPacket firPacket)
    {
        firPacket = default;
        if (!FeedbackPacketLayout.TryGetFci(packet, RtcpPacketType.PayloadSpecificFeedback, (byte)FeedbackPsMessageType.Fir, out ReadOnlySpan<byte> fci)
            || fci.Length < FeedbackPsFirItem.Length)
        {
            return false;
        }

        firPacket = new FeedbackPsFirPacket(packet.Body, fci.Length / FeedbackPsFirItem.Length);
        return true;
    }

    public FeedbackPsFirItem GetItem(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ItemCount);
        return FeedbackPsFirItem.Read(_body[(FeedbackPacketLayout.SsrcsLength + index * FeedbackPsFirItem.Length)..]);
    }

    public static int GetLength(int itemCount) => FeedbackPacketLayout.FciOffset + itemCount * FeedbackPsFirItem.Length;

    /// <summary>Writes a FIR packet and returns its length.</summary>
    public static int Write(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<FeedbackPsFirItem> items)
    {
        if (items.IsEmpty)
        {
            throw new ArgumentException("A FIR packet needs at least one item.", nameof(items));
        }

        int length = GetLength(items.Length);
        FeedbackPacketLayout.WriteHeader(
            destination, RtcpPacketType.PayloadSpecificFeedback, (byte)FeedbackPsMessageType.Fir, length, senderSsrc, mediaSsrc);
        for (int index = 0; index < items.Length; index++)
        {
            items[index].Write(destination[(FeedbackPacketLayout.FciOffset + index * FeedbackPsFirItem.Length)..]);
        }

        return length;
    }
}
