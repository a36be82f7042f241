namespace MediaEngine.Rtcp;

/// <summary>
/// View over an SR packet (RFC 3550 §6.4.1): sender information and up to 31 report blocks.
/// Profile-specific extensions after the blocks are ignored.
/// </summary>
public readonly ref struct SenderReportPacket
{
    private readonly ReadOnlySpan<byte> _body;

    private SenderReportPacket(ReadOnlySpan<byte> body, int reportCount)
    {
        _body = body;
        ReportCount = reportCount;
    }

    public SenderReport SenderReport => SenderReport.Read(_body);

    public int ReportCount { get; }

    public static bool TryParse(RtcpPacket packet, out SenderReportPacket senderReportPacket)
    {
        senderReportPacket = default;
        if (packet.Type != RtcpPacketType.SenderReport
            || packet.Body.Length < SenderReport.Length + packet.Count * ReceiverReport.Length)
        {
            return false;
        }

        senderReportPacket = new SenderReportPacket(packet.Body, packet.Count);
        return true;
    }

    public ReceiverReport GetReport(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ReportCount);
        return ReceiverReport.Read(_body[(SenderReport.Length + index * ReceiverReport.Length)..]);
    }

    public static int GetLength(int reportCount) =>
        RtcpCommonHeader.Length + SenderReport.Length + reportCount * ReceiverReport.Length;

    /// <summary>Writes an SR packet and returns its length.</summary>
    public static int Write(Span<byte> destination, in SenderReport senderReport, ReadOnlySpan<ReceiverReport> reports)
    {
        RtcpCommonHeader.EnsureCountFits(reports.Length, nameof(reports));
        int length = GetLength(reports.Length);
        RtcpCommonHeader.Write(destination, reports.Length, RtcpPacketType.SenderReport, length);
        senderReport.Write(destination[RtcpCommonHeader.Length..]);
        ReceiverReport.WriteAll(reports, destination[(RtcpCommonHeader.Length + SenderReport.Length)..]);
        return length;
    }
}
