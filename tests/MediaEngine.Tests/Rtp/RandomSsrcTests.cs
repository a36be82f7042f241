using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class RandomSsrcTests
{
    [Fact]
    public void SsrcsAreNineDigitNumbers()
    {
        var ssrcs = Enumerable.Range(0, 10_000).Select(_ => RandomSsrc.Next()).ToList();

        Assert.All(ssrcs, ssrc => Assert.InRange(ssrc, 100_000_000u, 999_999_999u));
        Assert.True(ssrcs.Distinct().Count() > 9_900, "SSRCs should rarely repeat");
    }
}
