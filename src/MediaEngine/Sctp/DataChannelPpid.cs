namespace MediaEngine.Sctp;

/// <summary>
/// SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1).
/// An empty message is sent as one zero byte with an "empty" PPID, since SCTP cannot carry an
/// empty DATA chunk. The partial PPIDs are deprecated: a message was split over several of them.
/// </summary>
public enum DataChannelPpid : uint
{
    Dcep = 50,
    String = 51,
    BinaryPartial = 52,
    Binary = 53,
    StringPartial = 54,
    StringEmpty = 56,
    BinaryEmpty = 57,
}
