using MediaEngine.RtpStreams;

namespace MediaEngine.Tests.RtpStreams;

public sealed class RateCalculatorTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(10);

    private static TimeSpan At(int milliseconds) => Start + TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void Bytes_count_for_the_whole_window_after_them_and_then_expire()
    {
        var rate = new RateCalculator();
        Assert.Equal(0, rate.GetRate(Start));

        rate.Update(1250, Start);

        Assert.Equal(10_000, rate.GetRate(Start));
        Assert.Equal(10_000, rate.GetRate(At(999)));
        Assert.Equal(0, rate.GetRate(At(1000)));
    }

    [Fact]
    public void A_steady_flow_gives_its_bitrate_over_the_sliding_window()
    {
        var rate = new RateCalculator();
        for (var ms = 0; ms < 3000; ms += 100)
            rate.Update(1000, At(ms));

        // The window ending in the item at 2,950 ms holds the 10 packets from 2,000 to 2,900 ms.
        Assert.Equal(80_000, rate.GetRate(At(2950)));
        // The one ending in the item at 3,500 ms starts at 2,510 ms: 2,600 to 2,900 ms.
        Assert.Equal(32_000, rate.GetRate(At(3500)));
    }

    [Fact]
    public void A_longer_window_spreads_the_bytes_over_its_length()
    {
        var rate = new RateCalculator(TimeSpan.FromMilliseconds(2500));
        rate.Update(1000, Start);
        rate.Update(1000, At(2000));

        Assert.Equal(6_400, rate.GetRate(At(2400)));
        Assert.Equal(3_200, rate.GetRate(At(2500)));
    }

    [Fact]
    public void Bytes_dated_before_the_window_are_ignored_and_late_ones_within_it_count()
    {
        var rate = new RateCalculator();
        rate.Update(1000, Start);

        rate.Update(5000, At(-1000));
        rate.Update(250, At(-500));

        Assert.Equal(10_000, rate.GetRate(Start));
    }

    [Fact]
    public void Counting_and_reading_allocate_nothing()
    {
        var rate = new RateCalculator();
        var ms = 0;
        SteadyState.AssertAllocatesNothing(() =>
        {
            for (var i = 0; i < 1000; i++, ms += 3)
            {
                rate.Update(1200, At(ms));
                rate.GetRate(At(ms));
            }
        });
    }
}
