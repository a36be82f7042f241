using MediaEngine.RtpStreams;

namespace MediaEngine.Tests.RtpStreams;

public class NackGeneratorTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(10);

    [Fact]
    public void Gap_IsNackedAtOnce()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        Receive(generator, 1, Start);
        Receive(generator, 2, Start);

        Assert.False(generator.ReceivePacket(5, isKeyFrame: false, isRecovered: false, Start));

        Assert.Equal([3, 4], generator.NacksToSend.ToArray());
        Assert.Equal(2, generator.NackListLength);
        Assert.Equal(Start + Ms(40), generator.NextTimeout);
        Assert.False(generator.IsKeyFrameRequired);
    }

    [Fact]
    public void NackedPacket_ArrivingLate_IsARepair()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        Receive(generator, 1, Start);
        Receive(generator, 4, Start);

        Assert.True(generator.ReceivePacket(3, isKeyFrame: false, isRecovered: true, Start + Ms(30)));
        Assert.False(generator.ReceivePacket(3, isKeyFrame: false, isRecovered: true, Start + Ms(31)));
        Assert.Empty(generator.NacksToSend.ToArray());
        Assert.Equal(1, generator.NackListLength);
        Assert.True(generator.ReceivePacket(2, isKeyFrame: false, isRecovered: false, Start + Ms(32)));
        Assert.Equal(0, generator.NackListLength);
        Assert.Null(generator.NextTimeout);
    }

    [Fact]
    public void ReorderedPacket_NotYetNacked_IsNoRepair()
    {
        var generator = new NackGenerator(TimeSpan.FromMilliseconds(20));
        Receive(generator, 1, Start);

        Assert.False(generator.ReceivePacket(3, isKeyFrame: false, isRecovered: false, Start));
        Assert.Empty(generator.NacksToSend.ToArray());

        Assert.False(generator.ReceivePacket(2, isKeyFrame: false, isRecovered: false, Start + Ms(5)));
        Assert.Equal(0, generator.NackListLength);
    }

    [Fact]
    public void SendDelay_PostponesTheFirstNackToTheTimer()
    {
        var generator = new NackGenerator(TimeSpan.FromMilliseconds(20));
        Receive(generator, 1, Start);
        Receive(generator, 3, Start);
        Assert.Empty(generator.NacksToSend.ToArray());

        generator.HandleTimeout(Start + Ms(39));
        Assert.Empty(generator.NacksToSend.ToArray());

        generator.HandleTimeout(Start + Ms(40));
        Assert.Equal([2], generator.NacksToSend.ToArray());
    }

    [Fact]
    public void Timer_RepeatsNacksOnceAnRttHasPassed()
    {
        var generator = new NackGenerator(TimeSpan.Zero) { Rtt = Ms(70) };
        Receive(generator, 1, Start);
        Receive(generator, 3, Start);
        Assert.Equal([2], generator.NacksToSend.ToArray());

        generator.HandleTimeout(Start + Ms(40));
        Assert.Empty(generator.NacksToSend.ToArray());
        Assert.Equal(Start + Ms(80), generator.NextTimeout);

        generator.HandleTimeout(Start + Ms(80));
        Assert.Equal([2], generator.NacksToSend.ToArray());
        Assert.Equal(Start + Ms(120), generator.NextTimeout);
    }

    [Fact]
    public void Nack_IsGivenUpAfterTheMaximumRetries()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        Receive(generator, 1, Start);
        Receive(generator, 3, Start);
        TimeSpan now = Start;

        for (int retry = 2; retry <= NackGenerator.MaxNackRetries; retry++)
        {
            now += Ms(100);
            generator.HandleTimeout(now);
            Assert.Equal([2], generator.NacksToSend.ToArray());
        }

        Assert.Equal(0, generator.NackListLength);
        Assert.Null(generator.NextTimeout);
        Assert.False(generator.ReceivePacket(2, isKeyFrame: false, isRecovered: true, now));
    }

    [Fact]
    public void Gap_AcrossTheWrap()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        Receive(generator, 65534, Start);
        Receive(generator, 65535, Start);

        Receive(generator, 2, Start);

        Assert.Equal([0, 1], generator.NacksToSend.ToArray());
        Assert.True(generator.ReceivePacket(0, isKeyFrame: false, isRecovered: true, Start));
        Assert.Equal(1, generator.NackListLength);
    }

    [Fact]
    public void PacketNewerThanAllRecoveredViaRtx_IsNotNackedLater()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        Receive(generator, 1, Start);

        Assert.False(generator.ReceivePacket(3, isKeyFrame: false, isRecovered: true, Start));
        Receive(generator, 5, Start);

        Assert.Equal([2, 4], generator.NacksToSend.ToArray());
    }

    [Fact]
    public void Overflow_DropsMissingPacketsBeforeTheLatestKeyFrame()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        Receive(generator, 1, Start);
        Receive(generator, 400, Start);
        Assert.False(generator.ReceivePacket(500, isKeyFrame: true, isRecovered: false, Start));
        Assert.Equal(497, generator.NackListLength);

        Receive(generator, 1100, Start);

        Assert.False(generator.IsKeyFrameRequired);
        Assert.Equal(599, generator.NackListLength);
        Assert.Equal(Enumerable.Range(501, 599).Select(seq => (ushort)seq), generator.NacksToSend.ToArray());
        Assert.False(generator.ReceivePacket(450, isKeyFrame: false, isRecovered: true, Start));
        Assert.True(generator.ReceivePacket(501, isKeyFrame: false, isRecovered: true, Start));
    }

    [Fact]
    public void OverflowWithoutAKeyFrame_ClearsTheListAndAsksForOne()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        Receive(generator, 1, Start);
        Receive(generator, 600, Start);

        Receive(generator, 1200, Start);

        Assert.True(generator.IsKeyFrameRequired);
        Assert.Empty(generator.NacksToSend.ToArray());
        Assert.Equal(0, generator.NackListLength);
        Assert.Null(generator.NextTimeout);

        Receive(generator, 1202, Start);
        Assert.False(generator.IsKeyFrameRequired);
        Assert.Equal([1201], generator.NacksToSend.ToArray());
    }

    [Fact]
    public void MissingPackets_AgeOut()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        Receive(generator, 1, Start);
        Receive(generator, 3, Start);

        for (int seq = 4; seq <= 10_002; seq++)
        {
            Receive(generator, (ushort)seq, Start);
        }

        Assert.Equal(1, generator.NackListLength);
        Receive(generator, 10_003, Start);
        Assert.Equal(0, generator.NackListLength);
    }

    [Fact]
    public void Reset_StartsAfresh()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        Receive(generator, 1, Start);
        Receive(generator, 5, Start);

        generator.Reset();
        Receive(generator, 100, Start);

        Assert.Empty(generator.NacksToSend.ToArray());
        Assert.Equal(0, generator.NackListLength);
        Assert.Null(generator.NextTimeout);
    }

    [Fact]
    public void PacketHandling_DoesNotAllocate()
    {
        var generator = new NackGenerator(TimeSpan.Zero);
        ushort seq = 0;
        TimeSpan now = Start;
        Exercise(generator, ref seq, ref now);

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 2000; iteration++)
            {
                Exercise(generator, ref seq, ref now);
            }
        });
    }

    private static void Exercise(NackGenerator generator, ref ushort seq, ref TimeSpan now)
    {
        generator.ReceivePacket(seq, isKeyFrame: seq % 300 == 0, isRecovered: false, now);
        seq += 3;
        generator.ReceivePacket(seq, isKeyFrame: false, isRecovered: false, now);
        generator.ReceivePacket((ushort)(seq - 1), isKeyFrame: false, isRecovered: true, now);
        seq++;
        now += Ms(20);
        generator.HandleTimeout(now);
    }

    private static void Receive(NackGenerator generator, ushort seq, TimeSpan now) =>
        Assert.False(generator.ReceivePacket(seq, isKeyFrame: false, isRecovered: false, now));

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
