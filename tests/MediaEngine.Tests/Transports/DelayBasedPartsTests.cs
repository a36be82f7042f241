using MediaEngine.Transports;

namespace MediaEngine.Tests.Transports;

/// <summary>The parts of the delay-based estimate on their own: packet groups, delay trend, acknowledged bitrate.</summary>
public class DelayBasedPartsTests
{
    /// <summary>Groups every 20 ms whose arrival spacing is 20 ms plus <paramref name="extraDelayMs"/>; the last state.</summary>
    private static BandwidthUsage Trend(double extraDelayMs, int groups = 60)
    {
        var interArrival = new InterArrivalDelta();
        var trendline = new TrendlineEstimator();
        long arrival = 1_000_000;
        for (var i = 0; i < groups; i++)
        {
            arrival += 20_000 + (long)(extraDelayMs * 1000);
            if (interArrival.TryAdd(i * 20_000L, arrival, out var sendDelta, out var arrivalDelta))
                trendline.Update(arrivalDelta, sendDelta, arrival);
        }
        return trendline.State;
    }

    [Fact]
    public void Steady_delay_is_normal_growing_delay_overuse_shrinking_delay_underuse()
    {
        Assert.Equal(BandwidthUsage.Normal, Trend(0));
        Assert.Equal(BandwidthUsage.Overusing, Trend(2));
        Assert.Equal(BandwidthUsage.Underusing, Trend(-2));
    }

    [Fact]
    public void Packets_sent_within_5_ms_form_one_group()
    {
        var interArrival = new InterArrivalDelta();
        Assert.False(interArrival.TryAdd(0, 100_000, out _, out _));
        Assert.False(interArrival.TryAdd(4_000, 104_000, out _, out _)); // same group
        Assert.False(interArrival.TryAdd(10_000, 112_000, out _, out _)); // second group: no pair complete yet
        Assert.False(interArrival.TryAdd(12_000, 115_000, out _, out _));
        Assert.True(interArrival.TryAdd(20_000, 130_000, out var sendDelta, out var arrivalDelta));
        Assert.Equal(8, sendDelta); // last send of group 2 (12 ms) − last of group 1 (4 ms)
        Assert.Equal(11, arrivalDelta); // 115 − 104
        Assert.False(interArrival.TryAdd(2_000, 131_000, out _, out _)); // reordered into a closed group: ignored
    }

    [Fact]
    public void The_acknowledged_bitrate_follows_arrivals_and_survives_a_clock_jump()
    {
        var acknowledged = new AcknowledgedBitrateEstimator();
        for (var i = 0; i <= 100; i++)
            acknowledged.PacketArrived(1_000_000 + i * 10_000L, 1250); // 1 Mbps
        Assert.Equal(1_000_000u, acknowledged.Bitrate);

        for (var i = 0; i <= 100; i++)
            acknowledged.PacketArrived(100_000 + i * 10_000L, 625); // the receiver's clock went back; 500 kbps
        Assert.Equal(500_000u, acknowledged.Bitrate);
    }

    /// <summary>AIMD fed "normal" every 100 ms for <paramref name="seconds"/> with a steady acknowledged bitrate.</summary>
    private static double Increase(uint initial, uint? acknowledged, uint demand, int seconds = 60)
    {
        var control = new AimdRateControl(initial, 30_000, 10_000_000);
        for (var i = 0; i <= seconds * 10; i++)
            control.Update(BandwidthUsage.Normal, acknowledged, demand, TimeSpan.FromMilliseconds(100 * i));
        return control.Bitrate;
    }

    [Fact]
    public void Increases_stop_at_one_and_a_half_times_the_acknowledged_bitrate_plus_10_kbps()
    {
        Assert.Equal(1.5 * 200_000 + 10_000, Increase(150_000, 200_000, demand: 0), 1);
        // A demand above that limit lets the estimate reach it, and no further.
        Assert.Equal(800_000, Increase(150_000, 200_000, demand: 800_000), 1);
        // The limit stops increases; it does not lower an estimate already above it.
        Assert.Equal(1_000_000, Increase(1_000_000, 200_000, demand: 0), 1);
        // Without an acknowledged bitrate there is nothing to limit by: 8% a second.
        Assert.Equal(150_000 * Math.Pow(1.08, 10), Increase(150_000, null, demand: 0, seconds: 10), 150_000 * 0.02);
    }
}
