using SfuHost;

namespace Host.Tests;

public sealed class DtlsWarmUpTests
{
    [Fact]
    public async Task The_startup_warm_up_handshake_connects_both_in_memory_ends()
    {
        TimeSpan took = await DtlsWarmUp.RunAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }
}
