using MediaEngine.Rtcp;
using System.Buffers.Binary;
using MediaEngine.Rtp.Packets;
using MediaEngine.RtpStreams;

namespace MediaEngine.Tests.RtpStreams;

public class RtpStreamSendTests
{
    private const uint Ssrc = 0x0A0B0C0D;
    private const uint RtxSsrc = 0x0E0F1011;
    private const byte RtxPayloadType = 97;
    private const uint ClockRate = 90_000;
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(50);

    [Fact]
    public void SentPackets_AreCounted()
    {
        RtpStreamSend stream = CreateStream();

        Assert.True(Send(stream, 1, Start));
        Assert.True(Send(stream, 2, Start, payloadLength: 100));

        Assert.Equal(2, stream.PacketsSent);
        Assert.Equal(22 + 112, stream.BytesSent);
        Assert.Throws<ArgumentException>(() => stream.ReceivePacket(RtpPackets.Parse(RtpPackets.Create(Ssrc + 1, 3, 0)), Start));
    }

    [Fact]
    public void Bitrate_CountsMediaPacketsOverTheLast2500Milliseconds()
    {
        RtpStreamSend stream = CreateStream();

        Send(stream, 1, Start, payloadLength: 988);
        Send(stream, 2, Start, payloadLength: 0); // padding only: not media
        Send(stream, 3, Start + TimeSpan.FromSeconds(2), payloadLength: 988);

        Assert.Equal(2 * 1000 * 8 * 1000 / 2500, stream.GetBitrate(Start + TimeSpan.FromSeconds(2)));
        Assert.Equal(1000 * 8 * 1000 / 2500, stream.GetBitrate(Start + TimeSpan.FromMilliseconds(2500)));
    }

    [Fact]
    public void KeyFrameRequests_AreCountedByType()
    {
        RtpStreamSend stream = CreateStream();

        stream.ReceiveKeyFrameRequest(FeedbackPsMessageType.Pli);
        stream.ReceiveKeyFrameRequest(FeedbackPsMessageType.Pli);
        stream.ReceiveKeyFrameRequest(FeedbackPsMessageType.Fir);

        Assert.Equal(2, stream.PliCount);
        Assert.Equal(1, stream.FirCount);
    }

    [Fact]
    public void Nack_ResendsTheRequestedStoredPackets()
    {
        RtpStreamSend stream = CreateStream();
        for (ushort seq = 10; seq <= 20; seq++)
        {
            Send(stream, seq, Start);
        }

        List<byte[]> resent = Resend(stream, packetId: 12, lostPacketBitmask: 0b101, Start);

        Assert.Equal([RtpPackets.Create(Ssrc, 12, 12), RtpPackets.Create(Ssrc, 13, 13), RtpPackets.Create(Ssrc, 15, 15)], resent);
        Assert.Equal(1, stream.NackCount);
        Assert.Equal(3, stream.NackPacketCount);
        Assert.Equal(3, stream.PacketsRetransmitted);
        Assert.Equal(3, stream.PacketsRepaired);
    }

    [Fact]
    public void Nack_WithinAnRtt_IsNotAnsweredTwice()
    {
        RtpStreamSend stream = CreateStream();
        Send(stream, 5, Start);
        Assert.Single(Resend(stream, 5, 0, Start));

        Assert.Empty(Resend(stream, 5, 0, Start + TimeSpan.FromMilliseconds(100)));
        Assert.Single(Resend(stream, 5, 0, Start + TimeSpan.FromMilliseconds(101)));

        Assert.Equal(2, stream.PacketsRetransmitted);
        Assert.Equal(1, stream.PacketsRepaired);
        Assert.Equal(3, stream.NackCount);
    }

    [Fact]
    public void Nack_WithRtx_ResendsOnTheRtxStream()
    {
        RtpStreamSend stream = CreateStream();
        stream.SetRtx(RtxPayloadType, RtxSsrc, initialSequenceNumber: 65535);
        Send(stream, 300, Start);
        Send(stream, 301, Start);

        List<byte[]> resent = Resend(stream, packetId: 300, lostPacketBitmask: 1, Start);

        Assert.Equal(2, resent.Count);
        for (int index = 0; index < 2; index++)
        {
            RtpPacket packet = RtpPackets.Parse(resent[index]);
            Assert.Equal(RtxSsrc, packet.Ssrc);
            Assert.Equal(RtxPayloadType, packet.PayloadType);
            Assert.Equal((ushort)index, packet.SequenceNumber);
            Assert.Equal(300 + index, BinaryPrimitives.ReadUInt16BigEndian(packet.Payload));
            Assert.Equal(12, packet.PayloadLength);
        }

    }

    [Fact]
    public void Nack_ForPacketsNotStored_ResendsNothing()
    {
        RtpStreamSend stream = CreateStream();
        Send(stream, 100, Start);

        Assert.Empty(Resend(stream, packetId: 101, lostPacketBitmask: 0xFFFF, Start));
        Assert.Equal(17, stream.NackPacketCount);

        var withoutBuffer = new RtpStreamSend(Ssrc, ClockRate, retransmissionBuffer: null);
        Send(withoutBuffer, 100, Start);
        Assert.Empty(Resend(withoutBuffer, packetId: 100, lostPacketBitmask: 0, Start));
    }

    [Fact]
    public void Nack_NeedsScratchRoomForRtx()
    {
        RtpStreamSend stream = CreateStream();

        Assert.Throws<ArgumentException>(() => stream.ReceiveNack(1, 0, Start, new byte[RtpRetransmissionBuffer.DefaultMaxPacketLength]));
    }

    [Fact]
    public void ReceiverReport_GivesLossJitterAndRtt()
    {
        RtpStreamSend stream = CreateStream();
        Send(stream, 1, Start);

        stream.ReceiveReceiverReport(
            new ReceiverReport(Ssrc, FractionLost: 64, TotalLost: 3, ExtendedHighestSequenceNumber: 1, Jitter: 120, LastSenderReport: 0x0004_8000, DelaySinceLastSenderReport: 0x0000_4000),
            ntpNow: 0x0000_0005_0000_0000);

        Assert.Equal(TimeSpan.FromMilliseconds(250), stream.Rtt);
        Assert.Equal(64, stream.FractionLost);
        Assert.Equal(3, stream.PacketsLost);
        Assert.Equal(120u, stream.Jitter);
    }

    [Fact]
    public void ReceiverReport_WithoutLastSenderReport_KeepsTheRtt()
    {
        RtpStreamSend stream = CreateStream();
        stream.ReceiveReceiverReport(Report(totalLost: 0, lastSenderReport: 0x0004_0000), ntpNow: 0x0000_0005_0000_0000);

        stream.ReceiveReceiverReport(Report(totalLost: 0, lastSenderReport: 0), ntpNow: 0x0000_0006_0000_0000);

        Assert.Equal(TimeSpan.FromMilliseconds(500), stream.Rtt);
    }

    [Fact]
    public void Score_FollowsTheReportedLoss()
    {
        RtpStreamSend stream = CreateStream();
        SendRange(stream, 0, 100);

        // 10 lost of 100 sent: (90/100)^4 × 10 = 6.6.
        stream.ReceiveReceiverReport(Report(totalLost: 10), ntpNow: 0);
        Assert.Equal(7, stream.Score);

        // A clean interval: (7×1 + 10×2) / 3 = 9.
        SendRange(stream, 100, 100);
        stream.ReceiveReceiverReport(Report(totalLost: 10), ntpNow: 0);
        Assert.Equal(9, stream.Score);
    }

    [Fact]
    public void Score_CountsRepairsAsPartialDelivery()
    {
        RtpStreamSend stream = CreateStream();
        SendRange(stream, 0, 100);
        for (ushort seq = 0; seq < 100; seq += 10)
        {
            Assert.Single(Resend(stream, seq, 0, Start));
        }

        // Lost 10 - repaired 10 × (1/1.1)^4 = 3.2 → 3; (97/100)^4 × 10 = 8.9.
        stream.ReceiveReceiverReport(Report(totalLost: 10), ntpNow: 0);

        Assert.Equal(9, stream.Score);
    }

    [Fact]
    public void SenderReport_ExtrapolatesTheRtpTimestamp()
    {
        RtpStreamSend stream = CreateStream();
        Assert.Null(stream.GetSenderReport(1, Start));
        Send(stream, 1, Start, timestamp: 9000);
        Send(stream, 2, Start + TimeSpan.FromMilliseconds(20), timestamp: 9000, payloadLength: 30);

        SenderReportInfo? report = stream.GetSenderReport(0x1234_5678_9ABC_DEF0, Start + TimeSpan.FromMilliseconds(500));

        Assert.Equal(new SenderReportInfo(Ssrc, 0x1234_5678_9ABC_DEF0, 9000 + 45_000, 2, 40), report);
    }

    [Fact]
    public void Pause_DropsTheStoredPackets()
    {
        RtpStreamSend stream = CreateStream();
        Send(stream, 1, Start);

        stream.Pause();

        Assert.Empty(Resend(stream, 1, 0, Start));
    }

    [Fact]
    public void SendingAndResending_DoNotAllocate()
    {
        RtpStreamSend stream = CreateStream();
        stream.SetRtx(RtxPayloadType, RtxSsrc, 0);
        byte[] packetBuffer = new byte[64];
        byte[] scratch = new byte[RtpRetransmissionBuffer.DefaultMaxPacketLength + 2];
        ushort seq = 0;
        TimeSpan now = Start;
        Exercise(stream, packetBuffer, scratch, ref seq, ref now);
        int retransmissions = 0;

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 1000; iteration++)
            {
                retransmissions += Exercise(stream, packetBuffer, scratch, ref seq, ref now);
            }
        });

        // Packets 1 to 15 were never requested as stored; each later one is requested three times within
        // 40 ms but resent once, the repeats coming before the 100 ms default RTT has passed.
        Assert.Equal(1000 * SteadyState.Windows - 15, retransmissions);
    }

    private static int Exercise(RtpStreamSend stream, byte[] packetBuffer, byte[] scratch, ref ushort seq, ref TimeSpan now)
    {
        int length = RtpPackets.Write(packetBuffer, Ssrc, seq, seq * 3000u);
        RtpPacket.TryParse(packetBuffer.AsSpan(0, length), out RtpPacket packet);
        stream.ReceivePacket(packet, now);
        int retransmissions = 0;
        foreach (RtpPacket retransmission in stream.ReceiveNack((ushort)(seq - 20), 0b1010, now, scratch))
        {
            retransmissions += retransmission.Ssrc == RtxSsrc ? 1 : 0;
        }

        if (seq % 50 == 0)
        {
            stream.ReceiveReceiverReport(Report(totalLost: seq / 50), ntpNow: (ulong)now.Ticks);
        }

        seq++;
        now += TimeSpan.FromMilliseconds(10);
        return retransmissions;
    }

    private static RtpStreamSend CreateStream() =>
        new(Ssrc, ClockRate, new RtpRetransmissionBuffer(100, RtpRetransmissionBuffer.MaxRetransmissionDelayForVideo, ClockRate));

    private static ReceiverReport Report(int totalLost, uint lastSenderReport = 0) =>
        new(Ssrc, FractionLost: 0, totalLost, ExtendedHighestSequenceNumber: 0, Jitter: 0, lastSenderReport, DelaySinceLastSenderReport: 0x8000);

    private static void SendRange(RtpStreamSend stream, int first, int count)
    {
        for (int seq = first; seq < first + count; seq++)
        {
            Assert.True(Send(stream, (ushort)seq, Start, timestamp: (uint)seq));
        }
    }

    private static bool Send(RtpStreamSend stream, ushort seq, TimeSpan now, uint? timestamp = null, int payloadLength = 10) =>
        stream.ReceivePacket(RtpPackets.Parse(RtpPackets.Create(Ssrc, seq, timestamp ?? seq, payloadLength)), now);

    private static List<byte[]> Resend(RtpStreamSend stream, ushort packetId, ushort lostPacketBitmask, TimeSpan now)
    {
        var resent = new List<byte[]>();
        byte[] scratch = new byte[RtpRetransmissionBuffer.DefaultMaxPacketLength + RtpPacket.OriginalSequenceNumberLength];
        foreach (RtpPacket packet in stream.ReceiveNack(packetId, lostPacketBitmask, now, scratch))
        {
            resent.Add(packet.Data.ToArray());
        }

        return resent;
    }
}
