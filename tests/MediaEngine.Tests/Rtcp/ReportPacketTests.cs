using MediaEngine.Rtcp;
using static MediaEngine.Tests.Rtcp.RtcpVectors;

namespace MediaEngine.Tests.Rtcp;

public class ReportPacketTests
{
    private static readonly ReceiverReport CapturedBlock = new(
        Ssrc: 0xBC5E9A40,
        FractionLost: 0,
        TotalLost: 0,
        ExtendedHighestSequenceNumber: 0x46E1,
        Jitter: 273,
        LastSenderReport: 0x09F36432,
        DelaySinceLastSenderReport: 150137);

    [Fact]
    public void CapturedReceiverReport_IsRead()
    {
        var enumerator = new CompoundPacket(RealCompoundPacket).GetEnumerator();
        Assert.True(enumerator.MoveNext());

        Assert.True(ReceiverReportPacket.TryParse(enumerator.Current, out ReceiverReportPacket report));
        Assert.Equal(0x902F9E2Eu, report.Ssrc);
        Assert.Equal(1, report.ReportCount);
        Assert.Equal(CapturedBlock, report.GetReport(0));
        Assert.False(SenderReportPacket.TryParse(enumerator.Current, out _));
    }

    [Fact]
    public void CapturedSenderReport_IsRead()
    {
        Assert.True(SenderReportPacket.TryParse(Parse(CapturedSenderReport), out SenderReportPacket report));

        Assert.Equal(
            new SenderReport(0x902F9E2E, 0xDA8BD1FCDDDDA05A, 0xAAF4EDD5, PacketCount: 1, OctetCount: 2),
            report.SenderReport);
        Assert.Equal(0xDA8BD1FCu, report.SenderReport.NtpSeconds);
        Assert.Equal(0xDDDDA05Au, report.SenderReport.NtpFraction);
        Assert.Equal(0xD1FCDDDDu, report.SenderReport.CompactNtp);
        Assert.Equal(1, report.ReportCount);
        Assert.Equal(CapturedBlock, report.GetReport(0));
        Assert.False(ReceiverReportPacket.TryParse(Parse(CapturedSenderReport), out _));
    }

    [Fact]
    public void ReportCountBeyondTheBody_IsRejected()
    {
        byte[] datagram = CapturedSenderReport;
        datagram[0] = 0x82;

        Assert.False(SenderReportPacket.TryParse(Parse(datagram), out _));
    }

    [Fact]
    public void NegativeCumulativeLoss_IsSignExtended()
    {
        byte[] datagram = RealCompoundPacket[..32];
        datagram[12] = 0x80;
        datagram[13] = 0xFF;
        datagram[14] = 0xFF;
        datagram[15] = 0xFE;

        Assert.True(ReceiverReportPacket.TryParse(Parse(datagram), out ReceiverReportPacket report));
        Assert.Equal(128, report.GetReport(0).FractionLost);
        Assert.Equal(-2, report.GetReport(0).TotalLost);
    }

    [Fact]
    public void ReceiverReport_RoundTrips()
    {
        ReceiverReport[] blocks =
        [
            new(2, 2, 3, 4, 5, 6, 7),
            new(999, 30, -12345, 0x0001FFFF, 22, 92, 46),
            new(uint.MaxValue, byte.MaxValue, ReceiverReport.MaxTotalLost, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue),
        ];
        byte[] buffer = new byte[ReceiverReportPacket.GetLength(blocks.Length)];

        int length = ReceiverReportPacket.Write(buffer, 0x01020304, blocks);

        Assert.Equal(buffer.Length, length);
        Assert.True(ReceiverReportPacket.TryParse(Parse(buffer), out ReceiverReportPacket report));
        Assert.Equal(0x01020304u, report.Ssrc);
        Assert.Equal(blocks, Enumerable.Range(0, report.ReportCount).Select(index => ReadBlock(buffer, index)));
    }

    [Fact]
    public void SenderReport_RoundTrips()
    {
        var senderReport = new SenderReport(1, 0x0102030405060708, 555, 32, 11);
        ReceiverReport[] blocks = [new(999, 30, 12345, 99, 22, 92, 46)];
        byte[] buffer = new byte[SenderReportPacket.GetLength(blocks.Length)];

        int length = SenderReportPacket.Write(buffer, senderReport, blocks);

        Assert.Equal(52, length);
        Assert.True(SenderReportPacket.TryParse(Parse(buffer), out SenderReportPacket report));
        Assert.Equal(senderReport, report.SenderReport);
        Assert.Equal(blocks[0], report.GetReport(0));
    }

    [Fact]
    public void SenderReportWithoutBlocks_RoundTrips()
    {
        byte[] buffer = new byte[SenderReportPacket.GetLength(0)];

        SenderReportPacket.Write(buffer, new SenderReport(7, 8, 9, 10, 11), []);

        Assert.Equal(new byte[] { 0x80, 0xC8, 0x00, 0x06 }, buffer[..4]);
        Assert.True(SenderReportPacket.TryParse(Parse(buffer), out SenderReportPacket report));
        Assert.Equal(0, report.ReportCount);
        Assert.Equal(new SenderReport(7, 8, 9, 10, 11), report.SenderReport);
    }

    [Theory]
    [InlineData(1 << 25, ReceiverReport.MaxTotalLost)]
    [InlineData(-(1 << 25), ReceiverReport.MinTotalLost)]
    public void CumulativeLossOutside24Bits_IsClamped(int totalLost, int written)
    {
        byte[] buffer = new byte[ReceiverReportPacket.GetLength(1)];

        ReceiverReportPacket.Write(buffer, 1, [new ReceiverReport(2, 0, totalLost, 0, 0, 0, 0)]);

        Assert.Equal(written, ReadBlock(buffer, 0).TotalLost);
    }

    [Fact]
    public void MisuseWhenWriting_Throws()
    {
        var block = new ReceiverReport(2, 0, 0, 0, 0, 0, 0);
        Assert.Throws<ArgumentException>(() => ReceiverReportPacket.Write(new byte[1024], 1, Enumerable.Repeat(block, 32).ToArray()));
        Assert.Throws<ArgumentException>(() => ReceiverReportPacket.Write(new byte[ReceiverReportPacket.GetLength(1) - 1], 1, [block]));
        Assert.Throws<ArgumentException>(() => SenderReportPacket.Write(new byte[SenderReportPacket.GetLength(0) - 1], default, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadBlock(RealCompoundPacket[..32], 1));
    }

    private static ReceiverReport ReadBlock(byte[] receiverReport, int index)
    {
        Assert.True(ReceiverReportPacket.TryParse(Parse(receiverReport), out ReceiverReportPacket report));
        return report.GetReport(index);
    }
}
