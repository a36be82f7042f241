using MediaEngine.RtpStreams;

namespace MediaEngine.Tests.RtpStreams;

public sealed class RecentWeightedAverageTests
{
    [Fact]
    public void Newer_values_weigh_more_and_the_oldest_leave_past_the_capacity()
    {
        var average = new RecentWeightedAverage(3);
        Assert.Equal(0, average.Value);

        average.Add(3);
        average.Add(0);
        Assert.Equal(1, average.Value); // (1×3 + 2×0) / 3

        average.Add(6);
        average.Add(6);
        Assert.Equal(5, average.Value); // (1×0 + 2×6 + 3×6) / 6

        average.Clear();
        Assert.Equal(0, average.Value);
        average.Add(2);
        Assert.Equal(2, average.Value);
    }
}
