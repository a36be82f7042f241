namespace MediaEngine.Sctp;

/// <summary>
/// Our Outgoing SSN Reset Request in progress (RFC 6525 §5.1.2): only one at a time. Resent with
/// the same sequence number when unanswered, with a new one after an "in progress" answer.
/// </summary>
internal sealed class SctpReconfigRequest(ushort[] streamIds, uint sendersLastAssignedTsn)
{
    public ushort[] StreamIds { get; } = streamIds;

    public uint SendersLastAssignedTsn { get; } = sendersLastAssignedTsn;

    public uint? SequenceNumber { get; set; }
}
