using MediaEngine.Rtcp;
using static MediaEngine.Tests.Rtcp.RtcpVectors;

namespace MediaEngine.Tests.Rtcp;

public class FeedbackPacketTests
{
    [Fact]
    public void CapturedNack_ExpandsToItsLostSequenceNumbers()
    {
        Assert.True(FeedbackRtpNackPacket.TryParse(Parse(Nack), out FeedbackRtpNackPacket nack));

        Assert.Equal(0x902F9E2Eu, nack.SenderSsrc);
        Assert.Equal(0x902F9E2Eu, nack.MediaSsrc);
        Assert.Equal(1, nack.ItemCount);
        Assert.Equal(new FeedbackRtpNackItem(0xAAAA, 0x5555), nack.GetItem(0));
        Assert.Equal(
            [0xAAAA, 0xAAAB, 0xAAAD, 0xAAAF, 0xAAB1, 0xAAB3, 0xAAB5, 0xAAB7, 0xAAB9],
            LostSequenceNumbers(nack));
    }

    [Fact]
    public void LostSequenceNumbers_WrapAround()
    {
        byte[] buffer = new byte[FeedbackRtpNackPacket.GetLength(2)];
        FeedbackRtpNackPacket.Write(buffer, 1, 2, [new(0xFFFE, 0x8003), new(42, 0)]);

        Assert.True(FeedbackRtpNackPacket.TryParse(Parse(buffer), out FeedbackRtpNackPacket nack));
        Assert.Equal([0xFFFE, 0xFFFF, 0x0000, 0x000E, 42], LostSequenceNumbers(nack));
    }

    [Theory]
    [InlineData(new ushort[] { 100 }, new[] { 100, 0x0000 })]
    [InlineData(new ushort[] { 100, 101, 105, 115 }, new[] { 100, 0x4011 })]
    [InlineData(new ushort[] { 100, 117, 500, 501, 502 }, new[] { 100, 0, 117, 0, 500, 0x0003 })]
    [InlineData(new ushort[] { 100, 116, 116 }, new[] { 100, 0x8000 })]
    [InlineData(new ushort[] { 0xFFFF, 0, 15 }, new[] { 0xFFFF, 0x8001 })]
    public void LostSequenceNumbers_ArePackedIntoItems(ushort[] lost, int[] expected)
    {
        var items = new FeedbackRtpNackItem[lost.Length];

        int count = FeedbackRtpNackItem.Pack(lost, items);

        Assert.Equal(expected, items[..count].SelectMany(item => new int[] { item.PacketId, item.LostPacketBitmask }));
    }

    [Fact]
    public void PackedItems_RoundTripThroughAPacket()
    {
        ushort[] lost = [65530, 65531, 65535, 3, 9, 40, 41, 56, 57];
        Span<FeedbackRtpNackItem> items = stackalloc FeedbackRtpNackItem[lost.Length];
        int count = FeedbackRtpNackItem.Pack(lost, items);
        byte[] buffer = new byte[FeedbackRtpNackPacket.GetLength(count)];

        int length = FeedbackRtpNackPacket.Write(buffer, 0x11111111, 0x22222222, items[..count]);

        Assert.Equal(24, length);
        Assert.True(FeedbackRtpNackPacket.TryParse(Parse(buffer), out FeedbackRtpNackPacket nack));
        Assert.Equal(0x22222222u, nack.MediaSsrc);
        Assert.Equal(lost, LostSequenceNumbers(nack));
    }

    [Fact]
    public void NackWithoutItems_IsRejectedAndCannotBeWritten()
    {
        byte[] withoutItems = Nack[..12];
        withoutItems[3] = 2;

        Assert.False(FeedbackRtpNackPacket.TryParse(Parse(withoutItems), out _));
        Assert.Throws<ArgumentException>(() => FeedbackRtpNackPacket.Write(new byte[64], 1, 2, []));
        Assert.Throws<ArgumentException>(() => FeedbackRtpNackItem.Pack([1, 100], new FeedbackRtpNackItem[1]));
    }

    [Fact]
    public void CapturedPli_IsRead()
    {
        Assert.True(FeedbackPsPliPacket.TryParse(Parse(RealCompoundPacket[92..104]), out FeedbackPsPliPacket pli));

        Assert.Equal(0x902F9E2Eu, pli.SenderSsrc);
        Assert.Equal(0x902F9E2Eu, pli.MediaSsrc);
        Assert.False(FeedbackPsFirPacket.TryParse(Parse(RealCompoundPacket[92..104]), out _));
        Assert.False(FeedbackPsPliPacket.TryParse(Parse(RealCompoundPacket[104..116]), out _));
    }

    [Fact]
    public void Pli_RoundTrips()
    {
        byte[] buffer = new byte[FeedbackPsPliPacket.Length];

        Assert.Equal(12, FeedbackPsPliPacket.Write(buffer, 5000, 6000));

        Assert.Equal(new byte[] { 0x81, 0xCE, 0x00, 0x02 }, buffer[..4]);
        Assert.True(FeedbackPsPliPacket.TryParse(Parse(buffer), out FeedbackPsPliPacket pli));
        Assert.Equal(5000u, pli.SenderSsrc);
        Assert.Equal(6000u, pli.MediaSsrc);
    }

    [Fact]
    public void CapturedFir_IsRead()
    {
        Assert.True(FeedbackPsFirPacket.TryParse(Parse(Fir), out FeedbackPsFirPacket fir));

        Assert.Equal(0u, fir.SenderSsrc);
        Assert.Equal(0x4BC4FCB4u, fir.MediaSsrc);
        Assert.Equal(1, fir.ItemCount);
        Assert.Equal(new FeedbackPsFirItem(0x12345678, 0x42), fir.GetItem(0));
    }

    [Fact]
    public void Fir_RoundTrips()
    {
        FeedbackPsFirItem[] items = [new(3, 42), new(0x98765432, 0x57)];
        byte[] buffer = new byte[FeedbackPsFirPacket.GetLength(items.Length)];
        buffer.AsSpan().Fill(0xEE);

        Assert.Equal(28, FeedbackPsFirPacket.Write(buffer, 1, 0, items));

        Assert.True(FeedbackPsFirPacket.TryParse(Parse(buffer), out FeedbackPsFirPacket fir));
        Assert.Equal(1u, fir.SenderSsrc);
        Assert.Equal(0u, fir.MediaSsrc);
        Assert.Equal(items, Enumerable.Range(0, fir.ItemCount).Select(index => ReadFirItem(buffer, index)));
        Assert.Equal(new byte[] { 0x57, 0, 0, 0 }, buffer[24..]);
    }

    [Fact]
    public void FirWithoutItems_IsRejected()
    {
        Assert.False(FeedbackPsFirPacket.TryParse(Parse([0x84, 0xCE, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 1]), out _));
    }

    [Fact]
    public void ChromeRemb_IsRead()
    {
        Assert.True(FeedbackPsRembPacket.TryParse(Parse(ChromeRemb), out FeedbackPsRembPacket remb));

        Assert.Equal(1u, remb.SenderSsrc);
        Assert.Equal(8_927_168ul, remb.Bitrate);
        Assert.Equal(1, remb.SsrcCount);
        Assert.Equal(1215622422u, remb.GetSsrc(0));
    }

    [Fact]
    public void Remb_ReproducesChromesBytes()
    {
        byte[] buffer = new byte[FeedbackPsRembPacket.GetLength(1)];

        int length = FeedbackPsRembPacket.Write(buffer, 1, 8_927_168, [1215622422]);

        Assert.Equal(ChromeRemb, buffer[..length]);
    }

    [Theory]
    [InlineData(0ul, 0ul)]
    [InlineData(262_143ul, 262_143ul)]
    [InlineData(262_144ul, 262_144ul)]
    [InlineData(8_927_167ul, 8_927_104ul)]
    [InlineData(ulong.MaxValue, 0x3FFFFul << 46)]
    public void RembBitrate_RoundsDownToItsMantissa(ulong bitrate, ulong read)
    {
        uint[] ssrcs = [1, 2, 3];
        byte[] buffer = new byte[FeedbackPsRembPacket.GetLength(ssrcs.Length)];

        FeedbackPsRembPacket.Write(buffer, 9, bitrate, ssrcs);

        Assert.True(FeedbackPsRembPacket.TryParse(Parse(buffer), out FeedbackPsRembPacket remb));
        Assert.Equal(read, remb.Bitrate);
        Assert.Equal(3u, remb.GetSsrc(2));
    }

    [Fact]
    public void RembOverflowing64Bits_IsRejected()
    {
        byte[] datagram = [0x8F, 0xCE, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0x52, 0x45, 0x4D, 0x42, 0x00, 0xFF, 0xFF, 0xFF];

        Assert.False(FeedbackPsRembPacket.TryParse(Parse(datagram), out _));
    }

    [Fact]
    public void ApplicationLayerFeedbackOtherThanRemb_IsRejected()
    {
        byte[] datagram = ChromeRemb;
        datagram[15] = (byte)'X';

        Assert.False(FeedbackPsRembPacket.TryParse(Parse(datagram), out _));
    }

    [Fact]
    public void RembSsrcListRunningPastThePacket_IsRejected()
    {
        byte[] datagram = ChromeRemb;
        datagram[16] = 2;

        Assert.False(FeedbackPsRembPacket.TryParse(Parse(datagram), out _));
    }

    private static List<ushort> LostSequenceNumbers(FeedbackRtpNackPacket nack)
    {
        var lost = new List<ushort>();
        foreach (ushort sequenceNumber in nack.LostSequenceNumbers)
        {
            lost.Add(sequenceNumber);
        }

        return lost;
    }

    private static FeedbackPsFirItem ReadFirItem(byte[] fir, int index)
    {
        Assert.True(FeedbackPsFirPacket.TryParse(Parse(fir), out FeedbackPsFirPacket packet));
        return packet.GetItem(index);
    }
}
