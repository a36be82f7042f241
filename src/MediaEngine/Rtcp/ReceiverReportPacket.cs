using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// View over an RR packet (RFC 3550 §6.4.2): the reporter's SSRC and up to 31 report blocks.
/// Profile-specific extensions after the blocks are ignored.
/// </summary>
public readonly ref struct ReceiverReportPacket
{
    private const int SsrcLength = 4;

    private readonly ReadOnlySpan<byte> _body;

    private ReceiverReportPacket(ReadOnlySpan<byte> body, int reportCount)
    {
        _body = body;
        ReportCount = reportCount;
    }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_body);

    public int ReportCount { get; }

    public static bool TryParse(RtcpPacket packet, out ReceiverReportPacket receiverReportPacket)
    {
        receiverReportPacket = default;
        if (packet.Type != RtcpPacketType.ReceiverReport
            || packet.Body.Length < SsrcLength + packet.Count * ReceiverReport.Length)
        {
            return false;
        }

        receiverReportPacket = new ReceiverReportPacket(packet.Body, packet.Count);
        return true;
    }

    public ReceiverReport GetReport(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ReportCount);
        return ReceiverReport.Read(_body[(SsrcLength + index * ReceiverReport.Length)..]);
    }

    public static int GetLength(int reportCount) =>
        RtcpCommonHeader.Length + SsrcLength + reportCount * ReceiverReport.Length;

    /// <summary>Writes an RR packet and returns its length.</summary>
    public static int Write(Span<byte> destination, uint ssrc, ReadOnlySpan<ReceiverReport> reports)
    {
        RtcpCommonHeader.EnsureCountFits(reports.Length, nameof(reports));
        int length = GetLength(reports.Length);
        RtcpCommonHeader.Write(destination, reports.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[RtcpCommonHeader.Length..], ssrc);
        ReceiverReport.WriteAll(reports, destination[(RtcpCommonHeader.Length + SsrcLength)..]);
        return length;
    }
}
