namespace MediaEngine.Rtcp;

/// <summary>
/// What a transport-wide feedback packet says about one sequence number. For a received packet,
/// <see cref="ReceiveDelta"/> is its arrival time relative to the previous received one (to the
/// reference time for the first), in 250 µs ticks, and <see cref="ArrivalTimeMicroseconds"/> the
/// arrival time on the feedback sender's clock: reference time plus every delta so far.
/// </summary>
public readonly record struct FeedbackRtpTransportPacketResult(
    ushort SequenceNumber,
    FeedbackRtpTransportStatus Status,
    short ReceiveDelta,
    long ArrivalTimeMicroseconds)
{
    public bool IsReceived => Status != FeedbackRtpTransportStatus.NotReceived;
}
