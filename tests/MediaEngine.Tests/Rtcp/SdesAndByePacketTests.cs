using System.Text;
using MediaEngine.Rtcp;
using static MediaEngine.Tests.Rtcp.RtcpVectors;

namespace MediaEngine.Tests.Rtcp;

public class SdesAndByePacketTests
{
    [Fact]
    public void CapturedCname_IsRead()
    {
        Assert.True(SdesPacket.TryParse(Parse(RealCompoundPacket[32..84]), out SdesPacket sdes));

        Assert.Equal(1, sdes.ChunkCount);
        var chunks = sdes.Chunks;
        Assert.True(chunks.MoveNext());
        Assert.Equal(0x902F9E2Eu, chunks.Current.Ssrc);
        Assert.True(chunks.Current.TryGetCname(out ReadOnlySpan<byte> cname));
        Assert.Equal(FirefoxCname, Encoding.ASCII.GetString(cname));
        Assert.False(chunks.MoveNext());
    }

    [Fact]
    public void ChunksWithSeveralItemsAndEmptyChunks_AreRead()
    {
        byte[] datagram =
        [
            0x83, 0xCA, 0x00, 0x07,
            0x10, 0x00, 0x00, 0x00, 0x01, 0x01, 0x41, 0x04, 0x01, 0x42, 0x00, 0x00,
            0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
            0x05, 0x06, 0x07, 0x08, 0x06, 0x00, 0x00, 0x00,
        ];
        Assert.True(SdesPacket.TryParse(Parse(datagram), out SdesPacket sdes));

        var described = new List<string>();
        foreach (SdesChunk chunk in sdes.Chunks)
        {
            foreach (SdesItem item in chunk.Items)
            {
                described.Add($"{chunk.Ssrc:X8} {item.Type} '{Encoding.ASCII.GetString(item.Value)}'");
            }

            described.Add($"{chunk.Ssrc:X8} cname: {chunk.TryGetCname(out _)}");
        }

        Assert.Equal(
            [
                "10000000 Cname 'A'", "10000000 Phone 'B'", "10000000 cname: True",
                "01020304 cname: False",
                "05060708 Tool ''", "05060708 cname: False",
            ],
            described);
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 0xCA, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x81, 0xCA, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x41, 0x42 })]
    [InlineData(new byte[] { 0x81, 0xCA, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x41, 0x01 })]
    [InlineData(new byte[] { 0x82, 0xCA, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x41, 0x00 })]
    public void ChunksWithoutTerminatorOrRunningPastThePacket_AreRejected(byte[] datagram)
    {
        Assert.False(SdesPacket.TryParse(Parse(datagram), out _));
    }

    [Fact]
    public void Writer_ProducesTheCapturedSdes()
    {
        byte[] buffer = new byte[64];
        var writer = new SdesPacketWriter(buffer);
        writer.AddCnameChunk(0x902F9E2E, Encoding.ASCII.GetBytes(FirefoxCname));

        int length = writer.Complete();

        Assert.Equal(RealCompoundPacket[32..84], buffer[..length]);
    }

    [Fact]
    public void SeveralCnameChunks_RoundTrip()
    {
        string[] cnames = ["", "a", "ab", "abc", "abcd", new string('x', 255)];
        byte[] buffer = new byte[1024];
        var writer = new SdesPacketWriter(buffer);
        for (int index = 0; index < cnames.Length; index++)
        {
            writer.AddCnameChunk((uint)index, Encoding.ASCII.GetBytes(cnames[index]));
        }

        int length = writer.Complete();

        Assert.Equal(4 + cnames.Sum(cname => SdesPacketWriter.GetChunkLength(cname.Length)), length);
        Assert.True(SdesPacket.TryParse(Parse(buffer[..length]), out SdesPacket sdes));
        var read = new List<(uint, string)>();
        foreach (SdesChunk chunk in sdes.Chunks)
        {
            Assert.True(chunk.TryGetCname(out ReadOnlySpan<byte> cname));
            read.Add((chunk.Ssrc, Encoding.ASCII.GetString(cname)));
        }

        Assert.Equal(cnames.Select((cname, index) => ((uint)index, cname)), read);
    }

    [Fact]
    public void WriterMisuse_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SdesPacketWriter(new byte[512]).AddCnameChunk(1, new byte[256]));
        Assert.Throws<ArgumentException>(() => new SdesPacketWriter(new byte[11]).AddCnameChunk(1, [0x41]));
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new SdesPacketWriter(new byte[1024]);
            for (int index = 0; index <= RtcpCommonHeader.MaxCount; index++)
            {
                writer.AddCnameChunk((uint)index, [0x41]);
            }
        });
    }

    [Fact]
    public void CapturedBye_IsRead()
    {
        Assert.True(ByePacket.TryParse(Parse(RealCompoundPacket[84..92]), out ByePacket bye));

        Assert.Equal(1, bye.SsrcCount);
        Assert.Equal(0x902F9E2Eu, bye.GetSsrc(0));
        Assert.True(bye.Reason.IsEmpty);
    }

    [Fact]
    public void ByeWithReason_RoundTrips()
    {
        uint[] ssrcs = [0x01020304, 0x05060708];
        byte[] buffer = new byte[ByePacket.GetLength(ssrcs.Length, 7)];

        int length = ByePacket.Write(buffer, ssrcs, "because"u8);

        Assert.Equal(20, length);
        Assert.True(ByePacket.TryParse(Parse(buffer), out ByePacket bye));
        Assert.Equal(2, bye.SsrcCount);
        Assert.Equal(0x05060708u, bye.GetSsrc(1));
        Assert.Equal("because", Encoding.ASCII.GetString(bye.Reason));
    }

    [Fact]
    public void ByeWithoutSourcesOrReason_RoundTrips()
    {
        byte[] buffer = new byte[4];

        Assert.Equal(4, ByePacket.Write(buffer, [], []));

        Assert.Equal(new byte[] { 0x80, 0xCB, 0x00, 0x00 }, buffer);
        Assert.True(ByePacket.TryParse(Parse(buffer), out ByePacket bye));
        Assert.Equal(0, bye.SsrcCount);
    }

    [Fact]
    public void ByeReasonRunningPastThePacket_IsRejected()
    {
        byte[] datagram = [0x81, 0xCB, 0x00, 0x02, 0x90, 0x2F, 0x9E, 0x2E, 0x04, 0x46, 0x4F, 0x4F];

        Assert.False(ByePacket.TryParse(Parse(datagram), out _));
        datagram[8] = 3;
        Assert.True(ByePacket.TryParse(Parse(datagram), out ByePacket bye));
        Assert.Equal("FOO", Encoding.ASCII.GetString(bye.Reason));
    }
}
