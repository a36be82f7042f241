using MediaEngine.Rtp.Packets;
using MediaEngine.RtpStreams;

namespace MediaEngine.Tests.RtpStreams;

public class RtpRetransmissionBufferTests
{
    private const uint Ssrc = 0xCAFE;
    private const uint ClockRate = 90_000;
    private const uint MaxDelayInTimestampUnits = 180_000;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    [Fact]
    public void InOrderPackets_AreStoredAsSent()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);

        Assert.True(Insert(buffer, 10001, 1_000_000_000));
        Assert.True(Insert(buffer, 10002, 1_000_000_000));
        Assert.True(Insert(buffer, 10003, 1_000_000_200));

        Assert.Equal(3, buffer.Count);
        Assert.True(buffer.TryGet(10002, out ReadOnlySpan<byte> stored));
        Assert.Equal(RtpPackets.Create(Ssrc, 10002, 1_000_000_000), stored.ToArray());
        Assert.False(buffer.TryGet(10004, out _));
        Assert.False(buffer.TryGet(10000, out _));
    }

    [Fact]
    public void Storage_IsHeldOnlyForThePacketsInTheWindow_AndReused()
    {
        var buffer = new RtpRetransmissionBuffer(600, MaxDelay, ClockRate);
        Assert.Equal(0, buffer.StorageBytes);

        Assert.True(Insert(buffer, 30001, 3_000_000_000));
        Assert.Equal(RtpRetransmissionBuffer.DefaultMaxPacketLength, buffer.StorageBytes);
        for (ushort seq = 30002; seq <= 30040; seq++)
            Assert.True(Insert(buffer, seq, 3_000_000_000));
        Assert.Equal(40 * RtpRetransmissionBuffer.DefaultMaxPacketLength, buffer.StorageBytes);
        AssertStored(buffer, Enumerable.Range(30001, 40).ToArray());

        // Far ahead in RTP time: every older packet leaves, and its storage with it.
        Assert.True(Insert(buffer, 30041, 3_000_000_000 + 10 * ClockRate));
        Assert.Equal(RtpRetransmissionBuffer.DefaultMaxPacketLength, buffer.StorageBytes);
        AssertStored(buffer, [30041]);

        buffer.Clear();
        Assert.Equal(0, buffer.StorageBytes);
    }

    [Fact]
    public void A_window_going_round_the_ring_keeps_only_its_packets()
    {
        var buffer = new RtpRetransmissionBuffer(600, TimeSpan.FromMilliseconds(100), ClockRate);
        uint timestamp = 1_000;
        for (var i = 0; i < 3000; i++)
        {
            // 100 packets/s: each 10 ms of RTP time after the last.
            Assert.True(Insert(buffer, (ushort)(1 + i), timestamp));
            timestamp += ClockRate / 100;
        }

        Assert.InRange(buffer.Count, 10, 11);
        Assert.Equal(buffer.Count * RtpRetransmissionBuffer.DefaultMaxPacketLength, buffer.StorageBytes);
        Assert.True(buffer.TryGet(3000, out var newest));
        Assert.Equal(RtpPackets.Create(Ssrc, 3000, timestamp - ClockRate / 100), newest.ToArray());
    }

    [Fact]
    public void OutOfOrderPackets_FillTheirSlots()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);

        Assert.True(Insert(buffer, 20004, 2_000_000_200));
        Assert.True(Insert(buffer, 20001, 2_000_000_000));
        Assert.True(Insert(buffer, 20003, 2_000_000_200));
        Assert.True(Insert(buffer, 20002, 2_000_000_000));

        AssertStored(buffer, 20001, 20002, 20003, 20004);
    }

    [Fact]
    public void Gaps_LeaveBlankSlotsAndTimestampsMustFollowTheOrder()
    {
        var buffer = new RtpRetransmissionBuffer(10, MaxDelay, ClockRate);

        Assert.True(Insert(buffer, 40002, 4_000_000_002));
        Assert.False(Insert(buffer, 40003, 4_000_000_001));
        Assert.True(Insert(buffer, 40004, 4_000_000_004));
        Assert.False(Insert(buffer, 40002, 4_000_000_002));
        Assert.True(Insert(buffer, 40008, 4_000_000_008));
        Assert.False(Insert(buffer, 40006, 4_000_000_003));
        Assert.True(Insert(buffer, 40006, 4_000_000_006));
        Assert.False(Insert(buffer, 40005, 4_000_000_007));
        Assert.False(Insert(buffer, 40000, 4_000_000_003));
        Assert.True(Insert(buffer, 40000, 4_000_000_000));

        AssertStored(buffer, 40000, 40002, 40004, 40006, 40008);
        Assert.False(buffer.TryGet(40001, out _));
        Assert.False(buffer.TryGet(40005, out _));
        Assert.False(buffer.TryGet(40007, out _));
    }

    [Fact]
    public void FullBuffer_DropsTheOldestPackets()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);
        for (ushort seq = 65530; seq != 4; seq++)
        {
            Assert.True(Insert(buffer, seq, 1000));
        }

        AssertStored(buffer, 0, 1, 2, 3);
        Assert.False(buffer.TryGet(65535, out _));
        Assert.False(Insert(buffer, 65535, 1000));
    }

    [Fact]
    public void Eviction_AlsoRemovesTheBlankSlotsAfterTheOldestPacket()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);
        Insert(buffer, 1, 0);
        Insert(buffer, 3, 0);

        Assert.True(Insert(buffer, 5, 0));
        Assert.True(Insert(buffer, 6, 0));

        AssertStored(buffer, 3, 5, 6);
    }

    [Fact]
    public void JumpNeedingTheWholeWindow_EmptiesTheBuffer()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);
        Insert(buffer, 1, 0);
        Insert(buffer, 2, 0);
        Insert(buffer, 3, 0);

        Assert.True(Insert(buffer, 7, 0));
        Assert.True(Insert(buffer, 8, 0));

        AssertStored(buffer, 7, 8);
    }

    [Fact]
    public void OlderPacket_BlanksTheReusedSlotsItSkips()
    {
        var buffer = new RtpRetransmissionBuffer(6, MaxDelay, ClockRate);
        for (ushort seq = 1; seq <= 6; seq++)
        {
            Insert(buffer, seq, 0);
        }

        Assert.True(Insert(buffer, 30, 0));
        Assert.True(Insert(buffer, 27, 0));

        AssertStored(buffer, 27, 30);
        Assert.False(buffer.TryGet(28, out _));
        Assert.False(buffer.TryGet(29, out _));
    }

    [Fact]
    public void JumpBeyondTheCapacity_EmptiesTheBuffer()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);
        Insert(buffer, 30001, 3_000_000_000);
        Insert(buffer, 30002, 3_000_000_000);
        Insert(buffer, 30003, 3_000_000_200);

        Assert.True(Insert(buffer, 40000, 3_000_003_000));

        AssertStored(buffer, 40000);
    }

    [Fact]
    public void NewerSequenceNumberWithAnOlderTimestamp_IsRefused()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);
        Insert(buffer, 10001, 1_000_000_001);
        Insert(buffer, 10002, 1_000_000_002);
        Insert(buffer, 10003, 1_000_000_003);

        Assert.False(Insert(buffer, 40000, 1_000_000_000));

        AssertStored(buffer, 10001, 10002, 10003);
    }

    [Fact]
    public void OlderSequenceNumberWithANewerTimestamp_RestartsTheBuffer()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);
        Insert(buffer, 33331, 1_000_000_001);
        Insert(buffer, 33332, 1_000_000_002);

        Assert.True(Insert(buffer, 33330, 1_000_000_003));

        AssertStored(buffer, 33330);
    }

    [Fact]
    public void Packets_ExpireAfterTheMaximumDelay()
    {
        var buffer = new RtpRetransmissionBuffer(100, MaxDelay, ClockRate);
        Insert(buffer, 1, 1_000_000);
        Insert(buffer, 2, 1_000_100);

        Assert.False(Insert(buffer, 0, 1_000_100 - MaxDelayInTimestampUnits - 1));
        Assert.True(Insert(buffer, 3, 1_000_000 + MaxDelayInTimestampUnits));
        AssertStored(buffer, 1, 2, 3);

        Assert.True(Insert(buffer, 4, 1_000_000 + MaxDelayInTimestampUnits + 1));
        AssertStored(buffer, 2, 3, 4);
    }

    [Fact]
    public void ExpiryOfEverything_KeepsTheNewPacket()
    {
        var buffer = new RtpRetransmissionBuffer(2500, MaxDelay, ClockRate);
        Insert(buffer, 12645, 828_702_743);

        Assert.True(Insert(buffer, 33998, 2_228_092_928));
        Assert.False(Insert(buffer, 33998, 2_228_092_928));

        AssertStored(buffer, 33998);
    }

    [Fact]
    public void OversizedPacket_IsNotStored()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate, maxPacketLength: 40);

        Assert.True(Insert(buffer, 1, 0, payloadLength: 28));
        Assert.False(Insert(buffer, 2, 0, payloadLength: 29));
    }

    [Fact]
    public void Resend_CopiesThePacketAtMostOncePerInterval()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);
        Insert(buffer, 7, 100);
        byte[] destination = new byte[RtpRetransmissionBuffer.DefaultMaxPacketLength];
        TimeSpan now = TimeSpan.FromSeconds(1);
        TimeSpan interval = TimeSpan.FromMilliseconds(100);

        Assert.True(buffer.TryResend(7, now, interval, destination, out int length, out bool isFirstResend));
        Assert.True(isFirstResend);
        Assert.Equal(RtpPackets.Create(Ssrc, 7, 100), destination[..length]);

        Assert.False(buffer.TryResend(7, now + interval, interval, destination, out _, out _));
        Assert.True(buffer.TryResend(7, now + interval + TimeSpan.FromTicks(1), interval, destination, out _, out isFirstResend));
        Assert.False(isFirstResend);
        Assert.False(buffer.TryResend(8, now, interval, destination, out _, out _));
        Assert.Equal(1, buffer.ResendsThrottled);
        Assert.Equal(1, buffer.ResendsUnavailable);
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        var buffer = new RtpRetransmissionBuffer(4, MaxDelay, ClockRate);
        Insert(buffer, 1, 0);

        buffer.Clear();

        Assert.Equal(0, buffer.Count);
        Assert.False(buffer.TryGet(1, out _));
        Assert.True(Insert(buffer, 9, 0));
        AssertStored(buffer, 9);
    }

    [Fact]
    public void StoringAndResending_DoNotAllocate()
    {
        var buffer = new RtpRetransmissionBuffer(50, MaxDelay, ClockRate);
        byte[] packetBuffer = new byte[64];
        byte[] destination = new byte[RtpRetransmissionBuffer.DefaultMaxPacketLength];
        ushort seq = 0;
        Exercise(buffer, packetBuffer, destination, ref seq);

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 1000; iteration++)
            {
                Exercise(buffer, packetBuffer, destination, ref seq);
            }
        });
    }

    private static void Exercise(RtpRetransmissionBuffer buffer, byte[] packetBuffer, byte[] destination, ref ushort seq)
    {
        int length = RtpPackets.Write(packetBuffer, Ssrc, seq, seq * 3000u);
        RtpPacket.TryParse(packetBuffer.AsSpan(0, length), out RtpPacket packet);
        buffer.Insert(packet);
        buffer.TryResend((ushort)(seq - 5), TimeSpan.FromMilliseconds(seq * 10), TimeSpan.FromMilliseconds(100), destination, out _, out _);
        seq += (ushort)(seq % 11 == 0 ? 3 : 1);
    }

    private static void AssertStored(RtpRetransmissionBuffer buffer, params int[] seqs)
    {
        Assert.Equal(seqs.Length, buffer.Count);
        foreach (int seq in seqs)
        {
            Assert.True(buffer.TryGet((ushort)seq, out ReadOnlySpan<byte> stored), $"{seq} is missing");
            Assert.Equal((ushort)seq, RtpPackets.Parse(stored.ToArray()).SequenceNumber);
        }
    }

    private static bool Insert(RtpRetransmissionBuffer buffer, ushort seq, uint timestamp, int payloadLength = 10) =>
        buffer.Insert(RtpPackets.Parse(RtpPackets.Create(Ssrc, seq, timestamp, payloadLength)));
}
