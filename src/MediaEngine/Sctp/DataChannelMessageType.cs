namespace MediaEngine.Sctp;

/// <summary>First byte of a DCEP message (RFC 8832 §8.2.1).</summary>
public enum DataChannelMessageType : byte
{
    Ack = 0x02,
    Open = 0x03,
}
