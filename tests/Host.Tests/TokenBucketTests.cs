using Signaling;

namespace Host.Tests;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_burst_passes_then_the_rate_refills_it_and_never_above_the_burst()
    {
        var bucket = new TokenBucket(ratePerSecond: 2, burst: 3);
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => bucket.TryTake(10.0)));
        Assert.False(bucket.TryTake(10.4));
        Assert.True(bucket.TryTake(10.5));
        Assert.False(bucket.TryTake(10.5));

        // A long quiet time refills the burst, not more.
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => bucket.TryTake(100.0)));
    }

    [Fact]
    public void Time_going_backwards_refills_nothing()
    {
        var bucket = new TokenBucket(ratePerSecond: 1, burst: 1);
        Assert.True(bucket.TryTake(5));
        Assert.False(bucket.TryTake(4));
        Assert.False(bucket.TryTake(5.5));
        Assert.True(bucket.TryTake(6.1));
    }
}
