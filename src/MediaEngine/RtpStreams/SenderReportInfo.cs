namespace MediaEngine.RtpStreams;

/// <summary>The sender information of an RTCP sender report (RFC 3550 §6.4.1), from <see cref="RtpStreamSend.GetSenderReport"/>.</summary>
/// <param name="Ssrc">The stream reported on.</param>
/// <param name="NtpTimestamp">Wallclock time of the report, 64-bit NTP.</param>
/// <param name="RtpTimestamp">The same instant in the stream's RTP timestamp units.</param>
/// <param name="PacketCount">Packets sent, modulo 2^32.</param>
/// <param name="OctetCount">Payload bytes sent (headers and padding excluded), modulo 2^32.</param>
public readonly record struct SenderReportInfo(uint Ssrc, ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount);
