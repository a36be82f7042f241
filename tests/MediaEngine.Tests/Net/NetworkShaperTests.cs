using MediaEngine.Net;

namespace MediaEngine.Tests.Net;

public sealed class NetworkShaperTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(10);

    [Fact]
    public void Datagrams_leave_at_the_links_bitrate_plus_the_delay()
    {
        var shaper = new NetworkShaper(new NetworkShape(BitsPerSecond: 800_000, Delay: TimeSpan.FromMilliseconds(50), Loss: 0));

        Assert.True(shaper.TryAdmit(1000, Start, out var first));
        Assert.True(shaper.TryAdmit(1000, Start, out var second));
        Assert.True(shaper.TryAdmit(1000, Start + TimeSpan.FromSeconds(1), out var later));

        // 1,000 bytes at 800 kbit/s: 10 ms on the link.
        Assert.Equal(Start + TimeSpan.FromMilliseconds(60), first);
        Assert.Equal(Start + TimeSpan.FromMilliseconds(70), second);
        Assert.Equal(Start + TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(60), later);
    }

    [Fact]
    public void A_queue_longer_than_half_a_second_drops()
    {
        var shaper = new NetworkShaper(new NetworkShape(BitsPerSecond: 80_000, Delay: TimeSpan.Zero, Loss: 0));

        // 1,000 bytes take 100 ms at 80 kbit/s: the sixth waits 500 ms, the seventh would wait 600.
        var admitted = Enumerable.Range(0, 10).Count(i => shaper.TryAdmit(1000, Start, out _));

        Assert.Equal(6, admitted);
        Assert.Equal(4, shaper.Dropped);
        Assert.True(shaper.TryAdmit(1000, Start + TimeSpan.FromMilliseconds(600), out _));
    }

    [Fact]
    public void Loss_drops_about_its_share()
    {
        var shaper = new NetworkShaper(new NetworkShape(0, TimeSpan.Zero, Loss: 0.25), new Random(3));

        var admitted = Enumerable.Range(0, 10_000).Count(i => shaper.TryAdmit(100, Start + TimeSpan.FromMilliseconds(i), out _));

        Assert.InRange(admitted, 7_300, 7_700);
        Assert.Equal(10_000 - admitted, shaper.Dropped);
    }

    [Fact]
    public void Without_a_bitrate_only_the_delay_applies()
    {
        var shaper = new NetworkShaper(new NetworkShape(0, TimeSpan.FromMilliseconds(30), 0));

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(shaper.TryAdmit(1500, Start, out var departure));
            Assert.Equal(Start + TimeSpan.FromMilliseconds(30), departure);
        }
    }

    [Fact]
    public void The_demos_throttle_parameters_become_a_shape_each_way()
    {
        var (uplink, downlink) = NetworkShape.FromThrottle(uplinkKbps: 500, downlinkKbps: null, rttMs: 100, packetLossPercent: 2);

        Assert.Equal(new NetworkShape(500_000, TimeSpan.FromMilliseconds(50), 0.02), uplink);
        Assert.Equal(new NetworkShape(1_000_000_000, TimeSpan.FromMilliseconds(50), 0.02), downlink);
        Assert.Equal(NetworkShape.FromThrottle(0, 0, null, null), NetworkShape.FromThrottle(1_000_000, 1_000_000, 0, 0));
    }

    [Fact]
    public void Shapes_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkShaper(new NetworkShape(-1, TimeSpan.Zero, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkShaper(new NetworkShape(0, TimeSpan.FromMilliseconds(-1), 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkShaper(new NetworkShape(0, TimeSpan.Zero, 1.5)));
    }
}
