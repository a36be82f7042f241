namespace MediaEngine.RtpStreams;

/// <summary>
/// The content of one RTCP report block (RFC 3550 §6.4.1), produced by
/// <see cref="RtpStreamRecv.GetReceiverReport"/> and consumed by <see cref="RtpStreamSend"/>.
/// </summary>
/// <param name="Ssrc">The stream the block reports on.</param>
/// <param name="FractionLost">Packets lost since the previous report, in 1/256 units.</param>
/// <param name="TotalLost">Cumulative packets lost, a 24-bit signed value (negative with duplicates).</param>
/// <param name="ExtendedHighestSequenceNumber">Highest sequence number received, wrap-arounds in the upper 16 bits.</param>
/// <param name="Jitter">Interarrival jitter in RTP timestamp units.</param>
/// <param name="LastSenderReport">Middle 32 bits of the NTP timestamp of the last sender report; 0 if none.</param>
/// <param name="DelaySinceLastSenderReport">Time since that sender report arrived, in 1/65536 s; 0 if none.</param>
public readonly record struct ReceiverReportBlock(
    uint Ssrc,
    byte FractionLost,
    int TotalLost,
    uint ExtendedHighestSequenceNumber,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport);
