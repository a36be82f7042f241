using System.Buffers.Binary;

namespace MediaEngine.Ice;

/// <summary>
/// Demultiplexes STUN, DTLS and RTP/RTCP sharing one transport (RFC 7983 §7, RFC 5761 §4).
/// </summary>
public static class StunPacketClassifier
{
    /// <summary>
    /// True for a datagram whose first byte is 0–3, long enough for a STUN header and carrying
    /// the magic cookie. The cookie check keeps RFC 3489-era or garbage datagrams from reaching
    /// the STUN parser.
    /// </summary>
    public static bool IsStun(ReadOnlySpan<byte> packet) =>
        packet.Length >= StunHeader.Length
        && Classify(packet[0]) == PacketKind.Stun
        && BinaryPrimitives.ReadUInt32BigEndian(packet[StunHeader.MagicCookieOffset..]) == StunHeader.MagicCookie;

    public static PacketKind Classify(byte firstByte) => firstByte switch
    {
        <= 3 => PacketKind.Stun,
        >= 20 and <= 63 => PacketKind.Dtls,
        >= 128 and <= 191 => PacketKind.RtpOrRtcp,
        _ => PacketKind.Unknown,
    };

    /// <summary>
    /// True when an RTP/RTCP packet is RTCP: with rtcp-mux, RTCP packet types 192–223 occupy the
    /// second byte where RTP has its marker bit and payload type, and RTP avoids payload types
    /// 64–95 for exactly this reason.
    /// </summary>
    public static bool IsRtcp(ReadOnlySpan<byte> packet) =>
        packet.Length >= 2
        && Classify(packet[0]) == PacketKind.RtpOrRtcp
        && packet[1] is >= 192 and <= 223;
}
