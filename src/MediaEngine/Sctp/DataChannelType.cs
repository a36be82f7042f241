namespace MediaEngine.Sctp;

/// <summary>
/// Channel type of DATA_CHANNEL_OPEN (RFC 8832 §5.1): the high bit means unordered; the low bits
/// say how the reliability parameter limits delivery (retransmissions or lifetime in ms).
/// </summary>
public enum DataChannelType : byte
{
    Reliable = 0x00,
    PartialReliableRexmit = 0x01,
    PartialReliableTimed = 0x02,
    ReliableUnordered = 0x80,
    PartialReliableRexmitUnordered = 0x81,
    PartialReliableTimedUnordered = 0x82,
}
