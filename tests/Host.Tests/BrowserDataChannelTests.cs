using System.Text.Json;
using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>mediasoup-demo's chat and Bot between real browsers, over SCTP on the server's transports.</summary>
public sealed class BrowserDataChannelTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;
    private readonly List<IPage> _pages = new();

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var page in _pages)
            await page.Context.CloseAsync();
        await _server.DisposeAsync();
    }

    private async Task<IPage> JoinAsync(string roomId, string peerId)
    {
        var (page, _) = await browser.NewPageAsync();
        _pages.Add(page);
        await page.GotoAsync($"{_server.HttpsUri}?roomId={roomId}&peerId={peerId}&displayName={peerId}&resolution=qvga&simulcast=false");
        try
        {
            await page.WaitForFunctionAsync(
                "() => window.sfu.client?.snapshot().dataProducers.filter(d => d.readyState === 'open').length === 2",
                null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            var snapshot = await page.EvaluateAsync<JsonElement>("() => window.sfu.client.snapshot()");
            var stats = await page.EvaluateAsync<JsonElement>("async () => window.sfu.client.protoo.request('getTransportStats', { transportId: window.sfu.client.sendTransport.id })");
            throw new TimeoutException($"data channels not open: {snapshot}; {stats}");
        }
        return page;
    }

    private Task WaitForMessageAsync(IPage page, string label, string? peerId, string text) =>
        WaitAsync(page,
            $"() => window.sfu.client.snapshot().messages.some(m => m.label === '{label}' && m.peerId === {(peerId is null ? "null" : $"'{peerId}'")} && m.text === {JsonSerializer.Serialize(text)})");

    private async Task WaitAsync(IPage page, string condition)
    {
        try
        {
            await page.WaitForFunctionAsync(condition, null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            var snapshots = new List<string>();
            foreach (var each in _pages)
                snapshots.Add((await each.EvaluateAsync<JsonElement>("() => { const s = window.sfu.client.snapshot(); return { peerId: s.peerId, dataConsumers: s.dataConsumers, dataProducers: s.dataProducers, messages: s.messages, notices: s.notices }; }")).ToString());
            throw new TimeoutException($"{condition}: {string.Join(" | ", snapshots)}");
        }
    }

    [Fact]
    public async Task Chat_reaches_the_other_peer_and_the_bot_answers_the_whole_room()
    {
        var roomId = "chat-" + Guid.NewGuid().ToString("N")[..6];
        var alice = await JoinAsync(roomId, "alice");
        var bob = await JoinAsync(roomId, "bob");
        await WaitAsync(bob, "() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'chat' && d.peerId === 'alice' && d.readyState === 'open')");
        await WaitAsync(alice, "() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'chat' && d.peerId === 'bob' && d.readyState === 'open')");

        await alice.EvaluateAsync("() => window.sfu.client.sendText('chat', 'hello bob')");
        await WaitForMessageAsync(bob, "chat", "alice", "hello bob");
        await bob.EvaluateAsync("() => window.sfu.client.sendText('chat', 'hi alice')");
        await WaitForMessageAsync(alice, "chat", "bob", "hi alice");

        await alice.EvaluateAsync("() => window.sfu.client.sendText('bot', 'ping')");
        await WaitForMessageAsync(alice, "bot", null, "alice said me: \"ping\"");
        await WaitForMessageAsync(bob, "bot", null, "alice said me: \"ping\"");
    }
}
