namespace MediaEngine.Rtcp;

/// <summary>View over a Picture Loss Indication (PSFB, FMT 1; RFC 4585 §6.3.1), which has no FCI.</summary>
public readonly ref struct FeedbackPsPliPacket
{
    public const int Length = FeedbackPacketLayout.FciOffset;

    private readonly ReadOnlySpan<byte> _body;

    private FeedbackPsPliPacket(ReadOnlySpan<byte> body)
    {
        _body = body;
    }

    public uint SenderSsrc => FeedbackPacketLayout.ReadSenderSsrc(_body);

    public uint MediaSsrc => FeedbackPacketLayout.ReadMediaSsrc(_body);

    public static bool TryParse(RtcpPacket packet, out FeedbackPsPliPacket pliPacket)
    {
        pliPacket = default;
        if (!FeedbackPacketLayout.TryGetFci(packet, RtcpPacketType.PayloadSpecificFeedback, (byte)FeedbackPsMessageType.Pli, out _))
        {
            return false;
        }

        pliPacket = new FeedbackPsPliPacket(packet.Body);
        return true;
    }

    /// <summary>Writes a PLI packet and returns its length, <see cref="Length"/>.</summary>
    public static int Write(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        FeedbackPacketLayout.WriteHeader(
            destination, RtcpPacketType.PayloadSpecificFeedback, (byte)FeedbackPsMessageType.Pli, Length, senderSsrc, mediaSsrc);
        return Length;
    }
}
