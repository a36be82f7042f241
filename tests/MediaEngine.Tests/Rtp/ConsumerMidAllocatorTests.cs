using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class ConsumerMidAllocatorTests
{
    [Fact]
    public void MidsCountUpFromZero()
    {
        var allocator = new ConsumerMidAllocator();

        Assert.Equal(["0", "1", "2"], new[] { allocator.Allocate(), allocator.Allocate(), allocator.Allocate() });
    }

    [Fact]
    public void MidsWrapAfterOneHundredMillion()
    {
        var allocator = new ConsumerMidAllocator(next: 99_999_998);

        Assert.Equal(
            ["99999998", "99999999", "0", "1"],
            new[] { allocator.Allocate(), allocator.Allocate(), allocator.Allocate(), allocator.Allocate() });
    }

    [Fact]
    public void EachTransportHasItsOwnSequence()
    {
        var first = new ConsumerMidAllocator();
        var second = new ConsumerMidAllocator();
        first.Allocate();

        Assert.Equal("0", second.Allocate());
        Assert.Equal("1", first.Allocate());
    }

    [Fact]
    public void MidsAreDecimalNumbersSoNeverTheProbatorMid()
    {
        var allocator = new ConsumerMidAllocator(next: 99_999_000);

        for (var i = 0; i < 2_000; i++)
        {
            Assert.Matches("^(0|[1-9][0-9]{0,7})$", allocator.Allocate());
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100_000_000)]
    public void StartOutsideTheMidRangeIsRejected(int next) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsumerMidAllocator(next));
}
