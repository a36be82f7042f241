using Microsoft.Playwright;

namespace Host.Tests;

public sealed class WebClientTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_landing_page_is_served_by_the_host_with_its_bundle_and_no_console_errors()
    {
        var (page, errors) = await browser.NewPageAsync();
        var response = await page.GotoAsync(_server.HttpsUri.ToString());
        Assert.Equal(200, response!.Status);
        await page.WaitForFunctionAsync("() => window.sfu !== undefined");
        Assert.True(await page.IsVisibleAsync("#join-form"));
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The call: two peers see each other's video and chat, the camera button pauses and
    /// resumes the remote tile, tiles show stats and the active speaker, the quality switch and
    /// screen share work, a dropped WebSocket shows the banner and the page rejoins by itself;
    /// no console errors. A screenshot of the room goes into the test output.
    /// </summary>
    [Fact]
    public async Task Two_peers_call_chat_toggle_the_camera_share_the_screen_and_rejoin_after_a_dropped_socket()
    {
        var roomId = "web-" + Guid.NewGuid().ToString("N")[..6];
        await using var pages = new RoomPages(browser, _server.HttpsUri);
        var alice = await pages.JoinAsync(roomId, "alice", "&resolution=qvga&numSimulcastStreams=2", displayName: "Alice");
        var bob = await pages.JoinAsync(roomId, "bob", "&resolution=qvga&numSimulcastStreams=2", displayName: "Bob");

        await WaitForFramesAsync(alice, "bob");
        await WaitForFramesAsync(bob, "alice");

        // Chat: Alice types into the form and presses Enter; Bob answers through the hook.
        await WaitAsync(alice, "window.sfu.client.snapshot().dataProducers.some(d => d.label === 'chat' && d.readyState === 'open')");
        await WaitAsync(bob, "window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'chat' && d.peerId === 'alice' && d.readyState === 'open')");
        await alice.FillAsync("#chat-form input[name=text]", "hello from Alice");
        await alice.PressAsync("#chat-form input[name=text]", "Enter");
        await WaitAsync(bob, "window.sfu.client.state.messages.some(m => m.label === 'chat' && m.peerId === 'alice' && m.text === 'hello from Alice')");
        await WaitAsync(bob, "window.sfu.client.snapshot().dataProducers.some(d => d.label === 'chat' && d.readyState === 'open')");
        await WaitAsync(alice, "window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'chat' && d.peerId === 'bob' && d.readyState === 'open')");
        await bob.EvaluateAsync("() => { window.sfu.client.sendText('chat', 'hi Alice'); window.sfu.client.state.messages.push({ label: 'me', text: 'hi Alice' }); }");
        await WaitAsync(alice, "window.sfu.client.state.messages.some(m => m.peerId === 'bob' && m.text === 'hi Alice')");

        // Per-tile stats from get*Stats and the active speaker (the fake microphones beep).
        await WaitAsync(bob, "window.sfu.client.snapshot().consumers.some(c => c.peerId === 'alice' && c.kind === 'video' && c.stats?.bitrate > 0 && typeof c.stats.score === 'number' && c.layers)");
        await WaitAsync(alice, "window.sfu.client.snapshot().producers.some(p => p.source === 'webcam' && p.stats?.bitrate > 0)");
        await WaitAsync(bob, "window.sfu.client.snapshot().consumers.some(c => c.peerId === 'alice' && c.kind === 'audio' && typeof c.stats?.audioLevel === 'number')");
        await WaitAsync(bob, "window.sfu.client.snapshot().activeSpeaker.peerId !== null");
        await WaitAsync(bob, "document.querySelectorAll('.tile.speaking').length === 1");
        await WaitAsync(bob, "/video [0-9.]+ [kM]bps · score/.test(document.querySelector(\"[data-tile='peer:alice'] .stats\").innerText)");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "two-peer-room.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await bob.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        Assert.True(new FileInfo(screenshot).Length > 10_000);

        // The camera button, used from the keyboard: Bob's tile of Alice pauses, then plays again.
        await alice.FocusAsync("#toggle-webcam");
        await alice.Keyboard.PressAsync("Enter");
        await WaitAsync(alice, "document.querySelector('#toggle-webcam').getAttribute('aria-pressed') === 'true'");
        await WaitAsync(bob, "window.sfu.client.snapshot().consumers.some(c => c.peerId === 'alice' && c.kind === 'video' && c.producerPaused)");
        // The page renders state changes on the next animation frame: the tile follows the state shortly after.
        await WaitAsync(bob, "document.querySelector(\"[data-tile='peer:alice']\").classList.contains('paused')");
        await alice.ClickAsync("#toggle-webcam");
        await WaitAsync(bob, "window.sfu.client.snapshot().consumers.some(c => c.peerId === 'alice' && c.kind === 'video' && !c.producerPaused)");
        await WaitForFramesAsync(bob, "alice");

        // The quality switch asks for the low layer.
        await bob.SelectOptionAsync("[data-tile='peer:alice'] select", "0");
        await WaitAsync(bob, "window.sfu.client.snapshot().consumers.some(c => c.peerId === 'alice' && c.kind === 'video' && c.preferredLayers?.spatialLayer === 0)");

        // Screen share: a second video producer with appData {share: true}, seen as its own tile.
        // (Chromium's fake media UI answers getDisplayMedia with a fake screen.)
        await alice.ClickAsync("#toggle-share");
        await WaitAsync(alice, "window.sfu.client.snapshot().producers.some(p => p.source === 'share')");
        await WaitAsync(bob, "window.sfu.client.snapshot().consumers.some(c => c.peerId === 'alice' && c.share)");
        await WaitAsync(bob, "[...document.querySelectorAll('[data-tile^=\"share:\"] video')].some(v => v.videoWidth > 0)");
        await WaitAsync(alice, "document.querySelector('#toggle-share').innerText === 'Stop sharing'");
        await alice.ClickAsync("#toggle-share");
        await WaitAsync(bob, "!window.sfu.client.snapshot().consumers.some(c => c.share)");

        // A dropped WebSocket: the banner shows, and the page rejoins and gets media again by itself.
        // (On loopback the rejoin takes a few hundred ms, so the banner is watched with an observer.)
        await alice.EvaluateAsync("""
            () => {
              const banner = document.querySelector('#connection-banner');
              window.bannerShown = false;
              new MutationObserver(() => { if (!banner.hidden) window.bannerShown = true; }).observe(banner, { attributes: true });
              // A dropped connection loses what is sent on it; a closing socket instead makes Chromium log
              // an error for every send (a stats poll can race the close), which a real drop never shows.
              const ws = window.sfu.client.protoo._transport._ws;
              ws.send = () => {};
              ws.close();
            }
            """);
        await WaitAsync(alice, "window.bannerShown");
        await WaitAsync(alice, "window.sfu.client.snapshot().joinCount === 2 && window.sfu.client.snapshot().roomState === 'connected'", 30_000);
        await WaitAsync(alice, "document.querySelector('#connection-banner').hidden");
        await WaitForFramesAsync(alice, "bob");
        await WaitForFramesAsync(bob, "alice");

        Assert.Empty(pages.ErrorsOf(alice));
        Assert.Empty(pages.ErrorsOf(bob));
    }

    private static Task WaitAsync(IPage page, string condition, int timeoutMs = 20_000) =>
        page.WaitForFunctionAsync($"() => {condition}", null, new PageWaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 250 });

    /// <summary>Decoded frames of the peer's camera grow on this page. (Playwright's WaitForFunctionAsync would take the async predicate's Promise as truthy at once.)</summary>
    private static async Task WaitForFramesAsync(IPage page, string peerId)
    {
        const string Frames = "(await window.sfu.client.inboundStats()).filter(s => s.peerId === '{0}' && s.kind === 'video').reduce((n, s) => Math.max(n, s.framesDecoded), 0)";
        await BrowserWait.UntilAsync(page, $"async () => {string.Format(Frames, peerId)} > 0", 30_000);
        var first = await page.EvaluateAsync<long>($"async () => {string.Format(Frames, peerId)}");
        await BrowserWait.UntilAsync(page, $"async () => {string.Format(Frames, peerId)} > {first}", 30_000);
    }
}
