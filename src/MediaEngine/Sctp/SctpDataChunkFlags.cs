namespace MediaEngine.Sctp;

/// <summary>Flags of a DATA chunk (RFC 9260 §3.3.1, RFC 7053 for I).</summary>
[Flags]
public enum SctpDataChunkFlags : byte
{
    None = 0,
    End = 0x01,
    Beginning = 0x02,
    Unordered = 0x04,
    Immediate = 0x08,
}
