using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>
/// The built-in web client across browsers: a Firefox peer (Debian's firefox-esr over WebDriver
/// BiDi, mediasoup-client's Firefox handler) and a Chromium peer (Playwright) in one room.
/// </summary>
public sealed class FirefoxInteropTests(BrowserFixture chromium) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // Per remote peer and kind, the largest counter of the browser's inbound-rtp stats.
    private const string Inbound = "(await window.sfu.client.inboundStats()).filter(s => s.peerId === '{0}' && s.kind === '{1}').reduce((n, s) => Math.max(n, s.{2}), 0)";

    private const string Diagnostics = "(async () => { const s = window.sfu.client?.snapshot(); return s && { roomState: s.roomState, transports: s.transports, notices: s.notices, producers: s.producers.map(p => [p.source, p.paused, p.stats?.scores]), consumers: s.consumers.map(c => [c.peerId, c.kind, c.type, c.layers, c.score]), inbound: await window.sfu.client.inboundStats(), dataProducers: s.dataProducers, dataConsumers: s.dataConsumers, ice: [...((await window.sfu.client.sendTransport?.getStats()) ?? new Map()).values()].filter(r => /candidate/.test(r.type)).map(r => JSON.stringify(r)) }; })()";

    [Fact]
    public async Task A_Firefox_peer_and_a_Chromium_peer_see_and_hear_each_other_and_chat()
    {
        var roomId = "fox-" + Guid.NewGuid().ToString("N")[..6];
        var room = $"{_server.HttpsUri}?roomId={roomId}&resolution=qvga&numSimulcastStreams=2";
        await using var firefox = await FirefoxBidi.LaunchAsync();
        var fox = await firefox.FirstTabAsync();
        var (chrome, chromeErrors) = await chromium.NewPageAsync();
        try
        {
            await firefox.NavigateAsync(fox, $"{room}&peerId=fox&displayName=Firefox");
            await firefox.UntilAsync(fox, "window.sfu?.client?.snapshot().roomState === 'connected'", diagnostics: Diagnostics);
            await chrome.GotoAsync($"{room}&peerId=chrome&displayName=Chromium");
            await BrowserWait.UntilAsync(chrome, "() => window.sfu?.client?.snapshot().roomState === 'connected'");
            await BrowserWait.UntilAsync(chrome, "() => window.sfu.client.snapshot().peers.some(p => p.id === 'fox' && p.device?.flag === 'firefox')",
                what: "the Firefox peer announced with device flag 'firefox'");

            // Each decodes the other's camera (simulcast from both) and receives its microphone.
            foreach (var (counter, kind) in new[] { ("framesDecoded", "video"), ("bytesReceived", "audio") })
            {
                await FoxRisesAsync(firefox, fox, string.Format(Inbound, "chrome", kind, counter));
                await ChromeRisesAsync(chrome, string.Format(Inbound, "fox", kind, counter));
            }
            await BrowserWait.UntilAsync(chrome, "() => window.sfu.client.snapshot().consumers.some(c => c.peerId === 'fox' && c.kind === 'video' && c.type === 'simulcast')",
                what: "a simulcast consumer of Firefox's camera");
            // Firefox's simulcast (mediasoup-client's Firefox handler, rids in its own order): the server receives both encodings.
            await firefox.UntilAsync(fox, "(async () => { const p = window.sfu.client.state.producers.get('webcam'); const stats = await window.sfu.client.protoo.request('getProducerStats', { producerId: p.id }); return stats.filter(e => e.byteCount > 0 && e.rid).length === 2; })()",
                diagnostics: "(async () => { const p = window.sfu.client.state.producers.get('webcam'); return [p.rtpParameters.encodings, await window.sfu.client.protoo.request('getProducerStats', { producerId: p.id })]; })()");

            // Chat both ways over the 'chat' DataChannel.
            await firefox.UntilAsync(fox, "window.sfu.client.snapshot().dataProducers.some(d => d.label === 'chat' && d.readyState === 'open')", diagnostics: Diagnostics);
            await BrowserWait.UntilAsync(chrome, "() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'chat' && d.peerId === 'fox' && d.readyState === 'open')");
            await firefox.EvaluateAsync(fox, "window.sfu.client.sendText('chat', 'hello from Firefox')");
            await BrowserWait.UntilAsync(chrome, "() => window.sfu.client.state.messages.some(m => m.label === 'chat' && m.peerId === 'fox' && m.text === 'hello from Firefox')");
            await BrowserWait.UntilAsync(chrome, "() => window.sfu.client.snapshot().dataProducers.some(d => d.label === 'chat' && d.readyState === 'open')");
            await firefox.UntilAsync(fox, "window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'chat' && d.peerId === 'chrome' && d.readyState === 'open')", diagnostics: Diagnostics);
            await chrome.EvaluateAsync("() => window.sfu.client.sendText('chat', 'hello from Chromium')");
            await firefox.UntilAsync(fox, "window.sfu.client.state.messages.some(m => m.label === 'chat' && m.peerId === 'chrome' && m.text === 'hello from Chromium')", diagnostics: Diagnostics);

            Assert.Empty(firefox.ConsoleErrors);
            Assert.Empty(chromeErrors);
        }
        finally
        {
            await chrome.Context.CloseAsync();
        }
    }

    /// <summary>A counter on the Firefox page becomes positive, then grows.</summary>
    private static async Task FoxRisesAsync(FirefoxBidi firefox, string context, string counter)
    {
        await firefox.UntilAsync(context, $"{counter} > 0", diagnostics: Diagnostics);
        var first = (await firefox.EvaluateAsync(context, counter)).GetDouble();
        await firefox.UntilAsync(context, $"{counter} > {first}", diagnostics: Diagnostics);
    }

    /// <summary>A counter on the Chromium page becomes positive, then grows.</summary>
    private static async Task ChromeRisesAsync(IPage page, string counter)
    {
        await BrowserWait.UntilAsync(page, $"async () => {counter} > 0", what: counter, diagnostics: $"async () => {Diagnostics}");
        var first = await page.EvaluateAsync<double>($"async () => {counter}");
        await BrowserWait.UntilAsync(page, $"async () => {counter} > {first}", what: counter, diagnostics: $"async () => {Diagnostics}");
    }
}
