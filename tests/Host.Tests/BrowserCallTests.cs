using System.Text.Json;
using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>The mediasoup-demo call between real browsers: the web client in headless Chromium, fake devices, simulcast on.</summary>
public sealed class BrowserCallTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string CallFlags = "resolution=qvga&numSimulcastStreams=2";
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(30);
    private TestServer _server = null!;
    private readonly List<IPage> _pages = new();
    private readonly List<string> _consoleErrors = new();

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var page in _pages)
            await page.Context.CloseAsync();
        await _server.DisposeAsync();
    }

    private async Task<IPage> JoinAsync(string roomId, string peerId, string extraFlags = "")
    {
        var (page, errors) = await browser.NewPageAsync();
        _pages.Add(page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                lock (_consoleErrors) _consoleErrors.Add($"{peerId}: {message.Text}");
        };
        await page.GotoAsync($"{_server.HttpsUri}?roomId={roomId}&peerId={peerId}&displayName={peerId}&{CallFlags}{extraFlags}");
        await page.WaitForFunctionAsync("() => window.sfu.client?.snapshot().roomState === 'connected'", null,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
        return page;
    }

    private static async Task<JsonElement> InboundAsync(IPage page) =>
        await page.EvaluateAsync<JsonElement>("() => window.sfu.client.inboundStats()");

    /// <summary>Waits until, for every listed peer, audio bytes and decoded video frames grow on this page.</summary>
    private static async Task AssertReceivesAsync(IPage page, params string[] fromPeers)
    {
        var first = await WaitForAsync(page, fromPeers, baseline: null);
        await WaitForAsync(page, fromPeers, baseline: first);
    }

    private static async Task<Dictionary<string, long>> WaitForAsync(IPage page, string[] fromPeers, Dictionary<string, long>? baseline)
    {
        var deadline = DateTime.UtcNow + MediaTimeout;
        while (true)
        {
            var progress = new Dictionary<string, long>();
            foreach (var entry in (await InboundAsync(page)).EnumerateArray())
            {
                var key = $"{entry.GetProperty("peerId").GetString()}/{entry.GetProperty("kind").GetString()}";
                progress[key] = entry.GetProperty("kind").GetString() == "video"
                    ? entry.GetProperty("framesDecoded").GetInt64()
                    : entry.GetProperty("bytesReceived").GetInt64();
            }
            var complete = fromPeers.SelectMany(p => new[] { $"{p}/audio", $"{p}/video" })
                .All(key => progress.TryGetValue(key, out var value) && value > (baseline?.GetValueOrDefault(key) ?? 0));
            if (complete)
                return progress;
            Assert.True(DateTime.UtcNow < deadline,
                $"{page.Url}: no media growth from {string.Join(",", fromPeers)}: {JsonSerializer.Serialize(progress)}; " +
                (await InboundAsync(page)) + "; consumer stats " +
                (await page.EvaluateAsync<JsonElement>("async () => Promise.all(window.sfu.client.snapshot().consumers.map(c => window.sfu.client.protoo.request('getConsumerStats', { consumerId: c.id })))")));
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task Three_browsers_see_and_hear_each_other_and_a_leaving_peer_closes_its_consumers()
    {
        var roomId = "call-" + Guid.NewGuid().ToString("N")[..6];
        var alice = await JoinAsync(roomId, "alice");
        var bob = await JoinAsync(roomId, "bob");
        await AssertReceivesAsync(alice, "bob");
        await AssertReceivesAsync(bob, "alice");

        var carol = await JoinAsync(roomId, "carol");
        await AssertReceivesAsync(carol, "alice", "bob");
        await AssertReceivesAsync(alice, "bob", "carol");
        await AssertReceivesAsync(bob, "alice", "carol");

        await carol.Context.CloseAsync();
        _pages.Remove(carol);
        foreach (var page in new[] { alice, bob })
        {
            await page.WaitForFunctionAsync(
                "() => !window.sfu.client.snapshot().peers.some(p => p.id === 'carol') && !window.sfu.client.snapshot().consumers.some(c => c.peerId === 'carol')",
                null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        }
        Assert.Empty(_consoleErrors);
    }
}
