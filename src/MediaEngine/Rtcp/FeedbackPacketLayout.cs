using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// The part RTPFB and PSFB packets share (RFC 4585 §6.1): the common header with the message
/// type in its count field, then the sender and media source SSRCs, then the feedback control
/// information (FCI).
/// </summary>
internal static class FeedbackPacketLayout
{
    public const int SsrcsLength = 8;
    public const int FciOffset = RtcpCommonHeader.Length + SsrcsLength;

    public static bool TryGetFci(RtcpPacket packet, RtcpPacketType type, byte messageType, out ReadOnlySpan<byte> fci)
    {
        fci = default;
        if (packet.Type != type || packet.Count != messageType || packet.Body.Length < SsrcsLength)
        {
            return false;
        }

        fci = packet.Body[SsrcsLength..];
        return true;
    }

    public static uint ReadSenderSsrc(ReadOnlySpan<byte> body) => BinaryPrimitives.ReadUInt32BigEndian(body);

    public static uint ReadMediaSsrc(ReadOnlySpan<byte> body) => BinaryPrimitives.ReadUInt32BigEndian(body[4..]);

    public static void WriteHeader(
        Span<byte> destination, RtcpPacketType type, byte messageType, int packetLength, uint senderSsrc, uint mediaSsrc)
    {
        RtcpCommonHeader.Write(destination, messageType, type, packetLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[RtcpCommonHeader.Length..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(RtcpCommonHeader.Length + 4)..], mediaSsrc);
    }
}
