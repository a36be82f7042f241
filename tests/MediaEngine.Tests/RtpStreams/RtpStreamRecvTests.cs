using MediaEngine.Rtcp;
using MediaEngine.Rtp.Packets;
using MediaEngine.RtpStreams;

namespace MediaEngine.Tests.RtpStreams;

public class RtpStreamRecvTests
{
    private const uint Ssrc = 0x11223344;
    private const uint VideoClockRate = 90_000;
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(100);

    [Fact]
    public void Gaps_AreReportedAsLoss()
    {
        RtpStreamRecv stream = CreateStream();
        foreach (int seq in Enumerable.Range(100, 10).Except([103, 105]))
        {
            Assert.True(Receive(stream, (ushort)seq, Start));
        }

        ReceiverReport report = stream.GetReceiverReport(Start);

        Assert.Equal(8, stream.PacketsReceived);
        Assert.Equal(8 * 22, stream.BytesReceived);
        Assert.Equal(10u, stream.ExpectedPackets);
        Assert.Equal(Ssrc, report.Ssrc);
        Assert.Equal(2, report.TotalLost);
        Assert.Equal(51, report.FractionLost);
        Assert.Equal(109u, report.ExtendedHighestSequenceNumber);
        Assert.Equal(2, stream.PacketsLost);
        Assert.Equal(51, stream.FractionLost);
    }

    [Fact]
    public void FractionLost_CoversOnlyTheLastInterval()
    {
        RtpStreamRecv stream = CreateStream();
        foreach (int seq in Enumerable.Range(0, 10).Except([3, 5]))
        {
            Receive(stream, (ushort)seq, Start);
        }

        stream.GetReceiverReport(Start);
        foreach (int seq in Enumerable.Range(10, 10).Except([12]))
        {
            Receive(stream, (ushort)seq, Start);
        }

        ReceiverReport second = stream.GetReceiverReport(Start);
        Assert.Equal(25, second.FractionLost);
        Assert.Equal(3, second.TotalLost);

        Receive(stream, 3, Start);
        ReceiverReport third = stream.GetReceiverReport(Start);
        Assert.Equal(0, third.FractionLost);
        Assert.Equal(2, third.TotalLost);
        Assert.Equal(19u, third.ExtendedHighestSequenceNumber);
    }

    [Fact]
    public void WrapAround_CountsACycle()
    {
        RtpStreamRecv stream = CreateStream();
        for (int seq = 65530; seq <= 65536 + 5; seq++)
        {
            Receive(stream, (ushort)seq, Start);
        }

        Receive(stream, 65535, Start);
        ReceiverReport report = stream.GetReceiverReport(Start);

        Assert.Equal(65536u + 5, report.ExtendedHighestSequenceNumber);
        Assert.Equal(12u, stream.ExpectedPackets);
        Assert.Equal(-1, report.TotalLost);
    }

    [Fact]
    public void LargeJump_IsDiscardedUnlessTheNextPacketConfirmsIt()
    {
        RtpStreamRecv stream = CreateStream();
        Receive(stream, 1000, Start);
        Receive(stream, 1001, Start);

        Assert.False(Receive(stream, 30_000, Start));
        Assert.Equal(1, stream.PacketsDiscarded);
        Assert.Equal(1001u, stream.ExtendedHighestSequenceNumber);
        Assert.True(Receive(stream, 1002, Start));

        Assert.False(Receive(stream, 40_000, Start));
        Assert.True(Receive(stream, 40_001, Start));

        ReceiverReport report = stream.GetReceiverReport(Start);
        Assert.Equal(40_001u, report.ExtendedHighestSequenceNumber);
        Assert.Equal(1u, stream.ExpectedPackets);
        Assert.Equal(0, report.TotalLost);
    }

    [Fact]
    public void Jitter_FollowsRfc3550()
    {
        RtpStreamRecv stream = CreateStream();

        // Transit times in 90 kHz units: 90000, 90600 (D = 600), 90300 (D = -300).
        Receive(stream, 1, TimeSpan.FromMilliseconds(1000), timestamp: 0);
        Receive(stream, 2, TimeSpan.FromMilliseconds(1040), timestamp: 3000);
        Assert.Equal(37u, stream.Jitter);
        Receive(stream, 3, TimeSpan.FromMilliseconds(1070), timestamp: 6000);

        Assert.Equal(53u, stream.Jitter);
        Assert.Equal(53u, stream.GetReceiverReport(TimeSpan.FromMilliseconds(1070)).Jitter);
    }

    [Fact]
    public void SenderReport_IsEchoedWithItsDelay()
    {
        RtpStreamRecv stream = CreateStream();
        Receive(stream, 1, Start);
        Assert.Equal(0u, stream.GetReceiverReport(Start).LastSenderReport);
        Assert.False(stream.HasSenderReport);

        stream.ReceiveSenderReport(0x0123456789ABCDEF, rtpTimestamp: 777, Start);
        Assert.True(stream.HasSenderReport);
        ReceiverReport report = stream.GetReceiverReport(Start + TimeSpan.FromMilliseconds(1500));

        Assert.Equal(0x456789ABu, report.LastSenderReport);
        Assert.Equal(98_304u, report.DelaySinceLastSenderReport);
        Assert.Equal(0x0123456789ABCDEFul, stream.LastSenderReportNtpTimestamp);
        Assert.Equal(777u, stream.LastSenderReportRtpTimestamp);
    }

    [Fact]
    public void Score_DropsWithLossAndAveragesRecentIntervals()
    {
        RtpStreamRecv stream = CreateStream();
        Assert.Equal(10, stream.Score);
        foreach (int seq in Enumerable.Range(0, 100).Where(seq => seq % 10 != 5))
        {
            Receive(stream, (ushort)seq, Start);
        }

        // 10 lost of 90 received: (80/90)^4 × 10 = 6.2.
        stream.ReceiveSenderReport(1, 0, Start);
        Assert.Equal(6, stream.Score);

        foreach (int seq in Enumerable.Range(100, 100))
        {
            Receive(stream, (ushort)seq, Start);
        }

        // (6×1 + 10×2) / 3 = 8.7.
        stream.ReceiveSenderReport(2, 0, Start);
        Assert.Equal(9, stream.Score);

        // Nothing expected scores 10: (6×1 + 10×2 + 10×3) / 6 = 9.3.
        stream.ReceiveSenderReport(3, 0, Start);
        Assert.Equal(9, stream.Score);
    }

    [Fact]
    public void Repairs_ByRtx_SoftenTheScore()
    {
        var stream = new RtpStreamRecv(Ssrc, VideoClockRate, useNack: true, hasRtx: true, TimeSpan.Zero, TimeSpan.Zero);
        int[] missing = [.. Enumerable.Range(0, 100).Where(seq => seq % 10 == 5)];
        long nacked = 0;
        foreach (int seq in Enumerable.Range(0, 100).Except(missing))
        {
            Receive(stream, (ushort)seq, Start);
            nacked += stream.NacksToSend.Length;
        }

        Assert.Equal(10, nacked);
        Assert.Equal(10, stream.NackCount);
        Assert.Equal(10, stream.NackPacketCount);
        foreach (int seq in missing)
        {
            Assert.True(stream.ReceiveRtxPacket(RtpPackets.Parse(RtpPackets.Create(Ssrc, (ushort)seq, 0)), isKeyFrame: false, Start));
        }

        Assert.False(stream.ReceiveRtxPacket(RtpPackets.Parse(RtpPackets.Create(Ssrc, 15, 0)), isKeyFrame: false, Start));
        Assert.Equal(11, stream.PacketsRetransmitted);
        Assert.Equal(10, stream.PacketsRepaired);

        stream.ReceiveSenderReport(1, 0, Start);

        // lost 10 - repaired 10 × (90/100)^4 × 10/11 = 4.03 → 4; (86/90)^4 → 8.3.
        Assert.Equal(8, stream.Score);
    }

    [Fact]
    public void Repairs_WithoutRtx_AreRetransmissionsOnTheMediaStream()
    {
        var stream = new RtpStreamRecv(Ssrc, VideoClockRate, useNack: true, hasRtx: false, TimeSpan.Zero, TimeSpan.Zero);
        Receive(stream, 1, Start);
        Receive(stream, 3, Start);
        Assert.Equal([2], stream.NacksToSend.ToArray());

        Receive(stream, 2, Start + TimeSpan.FromMilliseconds(30));

        Assert.Empty(stream.NacksToSend.ToArray());
        Assert.Equal(1, stream.PacketsRetransmitted);
        Assert.Equal(1, stream.PacketsRepaired);
    }

    [Fact]
    public void Nacks_DoNotOutliveTheCallThatProducedThem()
    {
        var stream = new RtpStreamRecv(Ssrc, VideoClockRate, useNack: true, hasRtx: true, TimeSpan.Zero, TimeSpan.Zero);
        Receive(stream, 1, Start);
        Receive(stream, 4, Start);
        Assert.Equal([2, 3], stream.NacksToSend.ToArray());
        Assert.Equal(Start + TimeSpan.FromMilliseconds(40), stream.NextTimeout);

        Assert.False(Receive(stream, 20_000, Start));
        Assert.Empty(stream.NacksToSend.ToArray());

        stream.HandleTimeout(Start + TimeSpan.FromMilliseconds(140));
        Assert.Equal([2, 3], stream.NacksToSend.ToArray());
        Assert.Equal(2, stream.NackCount);
        Assert.Equal(4, stream.NackPacketCount);
    }

    [Fact]
    public void XrDelaySinceLastRr_SetsTheRtt()
    {
        var stream = new RtpStreamRecv(Ssrc, VideoClockRate, useNack: true, hasRtx: true, TimeSpan.Zero, TimeSpan.Zero);

        stream.ReceiveXrDelaySinceLastRr(lastReceiverReport: 0x0004_0000, delaySinceLastReceiverReport: 0x0000_8000, ntpNow: 0x0000_0005_0000_0000);

        Assert.Equal(TimeSpan.FromMilliseconds(500), stream.Rtt);
    }

    [Fact]
    public void Inactivity_ZeroesTheScoreUntilMediaReturns()
    {
        RtpStreamRecv stream = CreateStream(inactivityTimeout: RtpStreamRecv.DefaultInactivityTimeout);
        Assert.Null(stream.NextTimeout);
        Receive(stream, 1, Start);
        Assert.Equal(Start + TimeSpan.FromMilliseconds(1500), stream.NextTimeout);

        stream.HandleTimeout(Start + TimeSpan.FromMilliseconds(1499));
        Assert.Equal(10, stream.Score);
        stream.HandleTimeout(Start + TimeSpan.FromMilliseconds(1500));
        Assert.True(stream.IsInactive);
        Assert.Equal(0, stream.Score);
        Assert.Null(stream.NextTimeout);

        Receive(stream, 2, Start + TimeSpan.FromSeconds(2), payloadLength: 0);
        Assert.True(stream.IsInactive);
        Receive(stream, 3, Start + TimeSpan.FromSeconds(2));
        Assert.False(stream.IsInactive);
        Assert.Equal(10, stream.Score);
    }

    [Fact]
    public void PauseAndResume_HoldTheInactivityCheck()
    {
        RtpStreamRecv stream = CreateStream(inactivityTimeout: RtpStreamRecv.DefaultInactivityTimeout);
        Receive(stream, 1, Start);

        stream.Pause();
        Assert.Null(stream.NextTimeout);
        stream.Resume(Start + TimeSpan.FromSeconds(10));

        Assert.Equal(Start + TimeSpan.FromMilliseconds(11_500), stream.NextTimeout);
    }

    [Fact]
    public void PacketHandling_DoesNotAllocate()
    {
        var stream = new RtpStreamRecv(
            Ssrc, VideoClockRate, useNack: true, hasRtx: true, TimeSpan.Zero, RtpStreamRecv.DefaultInactivityTimeout);
        byte[] buffer = new byte[64];
        ushort seq = 0;
        TimeSpan now = Start;
        Exercise(stream, buffer, ref seq, ref now);

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 1000; iteration++)
            {
                Exercise(stream, buffer, ref seq, ref now);
            }
        });
    }

    private static void Exercise(RtpStreamRecv stream, byte[] buffer, ref ushort seq, ref TimeSpan now)
    {
        int length = RtpPackets.Write(buffer, Ssrc, seq, (uint)(seq * 3000));
        RtpPacket.TryParse(buffer.AsSpan(0, length), out RtpPacket packet);
        stream.ReceivePacket(packet, isKeyFrame: seq % 100 == 0, now);
        seq += (ushort)(seq % 7 == 0 ? 2 : 1);
        now += TimeSpan.FromMilliseconds(10);
        stream.HandleTimeout(now);
        if (seq % 50 == 0)
        {
            stream.GetReceiverReport(now);
            stream.ReceiveSenderReport((ulong)now.Ticks << 20, seq, now);
        }
    }

    private static RtpStreamRecv CreateStream(TimeSpan inactivityTimeout = default) =>
        new(Ssrc, VideoClockRate, useNack: false, hasRtx: false, TimeSpan.Zero, inactivityTimeout);

    private static bool Receive(RtpStreamRecv stream, ushort seq, TimeSpan now, uint timestamp = 0, int payloadLength = 10) =>
        stream.ReceivePacket(RtpPackets.Parse(RtpPackets.Create(Ssrc, seq, timestamp, payloadLength)), isKeyFrame: false, now);
}
