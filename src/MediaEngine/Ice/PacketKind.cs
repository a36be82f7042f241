namespace MediaEngine.Ice;

/// <summary>What a datagram arriving on a WebRTC 5-tuple is, judged by its first byte (RFC 7983).</summary>
public enum PacketKind
{
    Unknown,
    Stun,
    Dtls,
    RtpOrRtcp,
}
