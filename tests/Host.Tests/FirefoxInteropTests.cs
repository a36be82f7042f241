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

    // The page's state, and both transports as Firefox (candidate pairs, transport) and the server (getTransportStats) see them.
    private const string Diagnostics = """
        (async () => {
          const client = window.sfu.client; const s = client?.snapshot(); if (!s) return null;
          const local = async (t) => t && [...(await t.getStats()).values()].filter(r => r.type === 'candidate-pair' || r.type === 'transport')
            .map(r => JSON.stringify(r));
          const server = async (t) => t && client.protoo.request('getTransportStats', { transportId: t.id }).catch(e => String(e));
          return { roomState: s.roomState, transports: s.transports, notices: s.notices,
            producers: s.producers.map(p => [p.source, p.paused, p.stats?.scores]), consumers: s.consumers.map(c => [c.peerId, c.kind, c.type, c.layers, c.score]),
            inbound: await client.inboundStats(), dataProducers: s.dataProducers, dataConsumers: s.dataConsumers,
            send: { firefox: await local(client.sendTransport), server: await server(client.sendTransport) },
            recv: { firefox: await local(client.recvTransport), server: await server(client.recvTransport) } };
        })()
        """;

    // For both transports, the server's selected tuple is the pair Firefox selected (same protocol, Firefox's port).
    private const string SameSelectedPair = """
        (async () => {
          const client = window.sfu.client;
          for (const transport of [client.sendTransport, client.recvTransport]) {
            const stats = [...(await transport.getStats()).values()];
            const pair = stats.find(r => r.id === stats.find(r => r.type === 'transport')?.selectedCandidatePairId);
            const local = stats.find(r => r.id === pair?.localCandidateId);
            const [server] = await client.protoo.request('getTransportStats', { transportId: transport.id });
            if (!local || server.iceSelectedTuple?.protocol !== local.protocol || server.iceSelectedTuple.remotePort !== local.port) return false;
          }
          return true;
        })()
        """;

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

            // Firefox nominates both its UDP and its TCP pair (a lite server) and uses UDP, the better one: so must the server.
            await firefox.UntilAsync(fox, SameSelectedPair, diagnostics: Diagnostics);

            Assert.Empty(firefox.ConsoleErrors);
            Assert.Empty(chromeErrors);
        }
        catch (Exception failure) when (failure is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{failure.Message}\nFirefox's WebRTC log (filtered):\n{firefox.WebRtcLog()}", failure);
        }
        finally
        {
            await chrome.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_Firefox_viewer_that_captures_nothing_receives_Chromiums_media()
    {
        var roomId = "foxview-" + Guid.NewGuid().ToString("N")[..6];
        var room = $"{_server.HttpsUri}?roomId={roomId}&resolution=qvga";
        var (chrome, chromeErrors) = await chromium.NewPageAsync();
        try
        {
            await chrome.GotoAsync($"{room}&peerId=chrome&displayName=Chromium");
            await BrowserWait.UntilAsync(chrome, "() => window.sfu?.client?.snapshot().roomState === 'connected'");
            await using var firefox = await FirefoxBidi.LaunchAsync();
            var fox = await firefox.FirstTabAsync();
            await firefox.NavigateAsync(fox, $"{room}&peerId=fox&displayName=Firefox&produce=false");
            foreach (var (counter, kind) in new[] { ("framesDecoded", "video"), ("bytesReceived", "audio") })
                await FoxRisesAsync(firefox, fox, string.Format(Inbound, "chrome", kind, counter));
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
