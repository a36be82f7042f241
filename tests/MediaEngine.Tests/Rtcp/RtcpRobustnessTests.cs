using MediaEngine.Rtcp;
using static MediaEngine.Tests.Rtcp.RtcpVectors;

namespace MediaEngine.Tests.Rtcp;

public class RtcpRobustnessTests
{
    private static readonly byte[][] Originals =
    [
        RealCompoundPacket,
        [.. CapturedSenderReport, .. ChromeRemb, .. Nack, .. Fir],
        [.. TransportFeedbackSingleDelta, .. TransportFeedbackMixedChunks],
        TransportFeedbackRunLength,
    ];

    private static readonly byte[] Cname = "user@example.org"u8.ToArray();
    private static readonly ReceiverReport[] Reports = [new(1, 2, -3, 4, 5, 6, 7), new(8, 9, 10, 11, 12, 13, 14)];
    private static readonly FeedbackRtpNackItem[] NackItems = [new(100, 0x8001), new(200, 0)];
    private static readonly FeedbackPsFirItem[] FirItems = [new(5, 6)];
    private static readonly uint[] Ssrcs = [1, 2];

    [Fact]
    public void RandomCorruptionAndTruncation_NeverThrow()
    {
        var random = new Random(4588);

        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            byte[] datagram = (byte[])Originals[random.Next(Originals.Length)].Clone();
            int flips = random.Next(1, 4);
            for (int flip = 0; flip < flips; flip++)
            {
                datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
            }

            int length = random.Next(2) == 0 ? datagram.Length : random.Next(datagram.Length + 1);
            ReadEverything(datagram.AsSpan(0, length));
        }
    }

    [Fact]
    public void RandomPacketsWithPlausibleHeaders_NeverThrow()
    {
        var random = new Random(5104);
        RtcpPacketType[] types = Enum.GetValues<RtcpPacketType>();

        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            byte[] datagram = new byte[4 * random.Next(1, 12)];
            random.NextBytes(datagram);
            datagram[0] = (byte)(0x80 | (datagram[0] & 0x3F));
            datagram[1] = (byte)types[random.Next(types.Length)];
            datagram[2] = 0;
            datagram[3] = (byte)(datagram.Length / 4 - 1 + random.Next(-1, 2));
            ReadEverything(datagram);
        }
    }

    [Fact]
    public void ParsingAndWriting_DoNotAllocate()
    {
        byte[] buffer = new byte[1500];
        WriteAndReadEverything(buffer);

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 100; iteration++)
            {
                WriteAndReadEverything(buffer);
            }
        });
    }

    private static void WriteAndReadEverything(byte[] buffer)
    {
        Span<byte> remaining = buffer;
        int length = 0;
        length += Advance(ref remaining, SenderReportPacket.Write(remaining, new SenderReport(1, 2, 3, 4, 5), Reports));
        length += Advance(ref remaining, ReceiverReportPacket.Write(remaining, 1, Reports));
        var sdes = new SdesPacketWriter(remaining);
        sdes.AddCnameChunk(1, Cname);
        sdes.AddCnameChunk(2, Cname);
        length += Advance(ref remaining, sdes.Complete());
        length += Advance(ref remaining, FeedbackRtpNackPacket.Write(remaining, 1, 2, NackItems));
        length += Advance(ref remaining, FeedbackPsPliPacket.Write(remaining, 1, 2));
        length += Advance(ref remaining, FeedbackPsFirPacket.Write(remaining, 1, 0, FirItems));
        length += Advance(ref remaining, FeedbackPsRembPacket.Write(remaining, 1, 1_500_000, Ssrcs));
        var transport = new FeedbackRtpTransportPacketBuilder(remaining[..200], 1, 2, 10, 1_000_000, 3);
        transport.TryAddReceivedPacket(10, 1_000_000);
        transport.TryAddReceivedPacket(13, 1_100_000);
        transport.TryAddReceivedPacket(14, 1_090_000);
        length += Advance(ref remaining, transport.Complete());
        length += Advance(ref remaining, ByePacket.Write(remaining, Ssrcs, Cname));

        Assert.True(ReadEverything(buffer.AsSpan(0, length)) == 9);
    }

    private static int Advance(ref Span<byte> remaining, int written)
    {
        remaining = remaining[written..];
        return written;
    }

    /// <summary>Parses every packet with every view and walks every list; returns how many packets were framed.</summary>
    private static int ReadEverything(ReadOnlySpan<byte> datagram)
    {
        int packets = 0;
        foreach (RtcpPacket packet in new CompoundPacket(datagram))
        {
            packets++;
            if (SenderReportPacket.TryParse(packet, out SenderReportPacket senderReport))
            {
                _ = senderReport.SenderReport;
                for (int index = 0; index < senderReport.ReportCount; index++)
                {
                    _ = senderReport.GetReport(index);
                }
            }

            if (ReceiverReportPacket.TryParse(packet, out ReceiverReportPacket receiverReport))
            {
                _ = receiverReport.Ssrc;
                for (int index = 0; index < receiverReport.ReportCount; index++)
                {
                    _ = receiverReport.GetReport(index);
                }
            }

            if (SdesPacket.TryParse(packet, out SdesPacket sdes))
            {
                foreach (SdesChunk chunk in sdes.Chunks)
                {
                    chunk.TryGetCname(out _);
                    foreach (SdesItem item in chunk.Items)
                    {
                        _ = item.Value.Length;
                    }
                }
            }

            if (ByePacket.TryParse(packet, out ByePacket bye))
            {
                for (int index = 0; index < bye.SsrcCount; index++)
                {
                    _ = bye.GetSsrc(index);
                }
            }

            if (FeedbackRtpNackPacket.TryParse(packet, out FeedbackRtpNackPacket nack))
            {
                _ = nack.SenderSsrc + nack.MediaSsrc;
                foreach (ushort _ in nack.LostSequenceNumbers)
                {
                }
            }

            if (FeedbackPsPliPacket.TryParse(packet, out FeedbackPsPliPacket pli))
            {
                _ = pli.SenderSsrc + pli.MediaSsrc;
            }

            if (FeedbackPsFirPacket.TryParse(packet, out FeedbackPsFirPacket fir))
            {
                for (int index = 0; index < fir.ItemCount; index++)
                {
                    _ = fir.GetItem(index);
                }
            }

            if (FeedbackPsRembPacket.TryParse(packet, out FeedbackPsRembPacket remb))
            {
                for (int index = 0; index < remb.SsrcCount; index++)
                {
                    _ = remb.GetSsrc(index);
                }
            }

            if (FeedbackRtpTransportPacket.TryParse(packet, out FeedbackRtpTransportPacket transport))
            {
                _ = transport.ReferenceTime + transport.FeedbackPacketCount;
                foreach (FeedbackRtpTransportPacketResult _ in transport.Results)
                {
                }
            }
        }

        return packets;
    }
}
