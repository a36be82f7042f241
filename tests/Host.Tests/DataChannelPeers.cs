using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>Browser pages of one test joined with their chat and bot DataChannels open.</summary>
public sealed class DataChannelPeers(BrowserFixture browser, TestServer server) : IAsyncDisposable
{
    public List<IPage> Pages { get; } = new();

    public async Task<IPage> JoinAsync(string roomId, string peerId)
    {
        var (page, _) = await browser.NewPageAsync();
        Pages.Add(page);
        await page.GotoAsync($"{server.HttpsUri}?roomId={roomId}&peerId={peerId}&displayName={peerId}&resolution=qvga&simulcast=false");
        await page.WaitForFunctionAsync(
            "() => window.sfu.client?.snapshot().dataProducers.filter(d => d.readyState === 'open').length === 2",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var page in Pages)
            await page.Context.CloseAsync();
    }
}
