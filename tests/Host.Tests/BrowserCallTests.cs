using System.Text.Json;
using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>The mediasoup-demo call between real browsers: the web client in headless Chromium, fake devices, simulcast on.</summary>
public sealed class BrowserCallTests(BrowserFixture browser, Xunit.Abstractions.ITestOutputHelper output) : BrowserRoomTests(browser)
{
    private const string CallFlags = "numSimulcastStreams=2";
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(30);

    private Task<IPage> JoinAsync(string roomId, string peerId, string extraFlags = "&resolution=qvga") =>
        Pages.JoinAsync(roomId, peerId, $"&{CallFlags}{extraFlags}");

    private static async Task<JsonElement> InboundAsync(IPage page) =>
        await page.EvaluateAsync<JsonElement>("() => window.sfu.client.inboundStats()");

    /// <summary>Waits until, for every listed peer, audio bytes and decoded video frames grow on this page.</summary>
    private static Task AssertReceivesAsync(IPage page, params string[] fromPeers) =>
        RoomPages.ReceivesAsync(page, fromPeers, MediaTimeout, TimeSpan.FromMilliseconds(500), async () => "consumer stats " +
            await page.EvaluateAsync<JsonElement>("async () => Promise.all(window.sfu.client.snapshot().consumers.map(c => window.sfu.client.protoo.request('getConsumerStats', { consumerId: c.id })))"));

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

        await Pages.CloseAsync(carol);
        foreach (var page in new[] { alice, bob })
        {
            await page.WaitForFunctionAsync(
                "() => !window.sfu.client.snapshot().peers.some(p => p.id === 'carol') && !window.sfu.client.snapshot().consumers.some(c => c.peerId === 'carol')",
                null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        }
        Assert.Empty(Pages.ConsoleErrors);
    }

    private static async Task<JsonElement> VideoFromAsync(IPage page, string peerId)
    {
        foreach (var entry in (await InboundAsync(page)).EnumerateArray())
        {
            if (entry.GetProperty("peerId").GetString() == peerId && entry.GetProperty("kind").GetString() == "video")
                return entry;
        }
        throw new Xunit.Sdk.XunitException($"no video consumer of {peerId}");
    }

    private static async Task<long> FramesFromAsync(IPage page, string peerId) =>
        (await VideoFromAsync(page, peerId)).GetProperty("framesDecoded").GetInt64();

    [Fact]
    public async Task Pausing_a_producer_pauses_its_consumers_and_a_preferred_low_layer_gets_smaller_frames()
    {
        var roomId = "layers-" + Guid.NewGuid().ToString("N")[..6];
        var alice = await JoinAsync(roomId, "alice", "&resolution=vga");
        var bob = await JoinAsync(roomId, "bob", "&resolution=qvga&produce=false");
        await AssertReceivesAsync(bob, "alice");
        await BrowserWait.UntilAsync(alice, "async () => (await window.sfu.client.remoteInboundStats('mic')).length > 0", 10_000);
        await BrowserWait.UntilAsync(bob, "async () => (await window.sfu.client.remoteOutboundStats()).some(r => r.kind === 'audio' && r.packetsSent > 0)", 10_000);
        // downlinkBwe (mediasoup's 'bwe' trace): the receiving peer hears its transport's estimate and what its video consumer wants.
        await bob.EvaluateAsync("() => { window.downlinkBwe = []; window.sfu.client.protoo.on('notification', n => { if (n.method === 'downlinkBwe') window.downlinkBwe.push(n.data); }); }");
        await bob.WaitForFunctionAsync("() => window.downlinkBwe.some(b => b.availableBitrate > 0 && b.desiredBitrate > 0 && b.effectiveDesiredBitrate >= b.desiredBitrate)",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });

        await alice.EvaluateAsync("() => window.sfu.client.setProducerPaused('webcam', true)");
        await bob.WaitForFunctionAsync("() => window.sfu.client.snapshot().consumers.some(c => c.kind === 'video' && c.producerPaused)");
        var frozen = await FramesFromAsync(bob, "alice");
        await Task.Delay(1500);
        Assert.InRange(await FramesFromAsync(bob, "alice"), frozen, frozen + 2);

        await alice.EvaluateAsync("() => window.sfu.client.setProducerPaused('webcam', false)");
        await bob.WaitForFunctionAsync("() => window.sfu.client.snapshot().consumers.some(c => c.kind === 'video' && !c.producerPaused)");
        await AssertReceivesAsync(bob, "alice");

        var highWidth = await WaitForWidthAsync(bob, width => width >= 640);
        var consumerId = (await VideoFromAsync(bob, "alice")).GetProperty("consumerId").GetString();
        await bob.EvaluateAsync($"() => window.sfu.client.setConsumerPreferredLayers('{consumerId}', 0)");
        var lowWidth = await WaitForWidthAsync(bob, width => width > 0 && width < highWidth);
        Assert.True(lowWidth < highWidth);
        await bob.WaitForFunctionAsync("() => window.sfu.client.snapshot().consumers.some(c => c.kind === 'video' && c.layers?.spatialLayer === 0)");
        Assert.Empty(Pages.ConsoleErrors);
    }

    [Fact]
    public async Task Preferred_temporal_layer_0_gives_a_clearly_lower_frame_rate_than_layer_2()
    {
        var roomId = "temporal-" + Guid.NewGuid().ToString("N")[..6];
        await JoinAsync(roomId, "alice", "&resolution=vga");
        var bob = await JoinAsync(roomId, "bob", "&resolution=qvga&produce=false");
        await AssertReceivesAsync(bob, "alice");
        var consumerId = (await VideoFromAsync(bob, "alice")).GetProperty("consumerId").GetString();

        async Task<double> FrameRateAtAsync(int temporalLayer)
        {
            await bob.EvaluateAsync($"() => window.sfu.client.setConsumerPreferredLayers('{consumerId}', 0, {temporalLayer})");
            await bob.WaitForFunctionAsync(
                $"() => window.sfu.client.snapshot().consumers.some(c => c.id === '{consumerId}' && c.layers?.spatialLayer === 0 && c.layers?.temporalLayer === {temporalLayer})",
                null, new PageWaitForFunctionOptions { Timeout = 20_000 });
            await Task.Delay(1000);
            var before = await FramesFromAsync(bob, "alice");
            var started = DateTime.UtcNow;
            await Task.Delay(4000);
            return (await FramesFromAsync(bob, "alice") - before) / (DateTime.UtcNow - started).TotalSeconds;
        }

        var full = await FrameRateAtAsync(2);
        var baseLayer = await FrameRateAtAsync(0);
        output.WriteLine($"frame rate: temporal layer 2 {full:F1} fps, temporal layer 0 {baseLayer:F1} fps");
        var stats = await bob.EvaluateAsync<JsonElement>($"() => window.sfu.client.protoo.request('getConsumerStats', {{ consumerId: '{consumerId}' }})");
        Assert.True(full > 4, $"temporal layer 2 ran at {full:F1} fps");
        Assert.True(baseLayer < full * 0.6, $"temporal layer 0 ran at {baseLayer:F1} fps, layer 2 at {full:F1} fps");
        Assert.Equal(0, stats[0].GetProperty("currentTemporalLayer").GetInt32());
        Assert.Empty(Pages.ConsoleErrors);
    }

    [Fact]
    public async Task A_vp9_svc_producer_is_received_and_preferred_spatial_layer_0_gets_smaller_frames()
    {
        var roomId = "svc-" + Guid.NewGuid().ToString("N")[..6];
        var alice = await JoinAsync(roomId, "alice", "&resolution=vga&svc=L3T3_KEY");
        var bob = await JoinAsync(roomId, "bob", "&resolution=qvga&produce=false");
        await AssertReceivesAsync(bob, "alice");
        var producerId = await alice.EvaluateAsync<string>("() => window.sfu.client.state.producers.get('webcam').id");
        var producerStats = await alice.EvaluateAsync<JsonElement>($"() => window.sfu.client.protoo.request('getProducerStats', {{ producerId: '{producerId}' }})");
        Assert.Equal("video/VP9", producerStats[0].GetProperty("mimeType").GetString());

        var highWidth = await WaitForWidthAsync(bob, width => width >= 640);
        var consumerId = (await VideoFromAsync(bob, "alice")).GetProperty("consumerId").GetString();
        await bob.EvaluateAsync($"() => window.sfu.client.setConsumerPreferredLayers('{consumerId}', 0, 2)");
        var lowWidth = await WaitForWidthAsync(bob, width => width > 0 && width <= highWidth / 2);
        output.WriteLine($"VP9 SVC frame width: all layers {highWidth}, spatial layer 0 {lowWidth}");
        await bob.WaitForFunctionAsync($"() => window.sfu.client.snapshot().consumers.some(c => c.id === '{consumerId}' && c.layers?.spatialLayer === 0)");
        await AssertReceivesAsync(bob, "alice");
        Assert.Empty(Pages.ConsoleErrors);
    }

    private static async Task<long> WaitForWidthAsync(IPage page, Func<long, bool> accept)
    {
        var deadline = DateTime.UtcNow + MediaTimeout;
        while (true)
        {
            var width = (await VideoFromAsync(page, "alice")).GetProperty("frameWidth").GetInt64();
            if (accept(width))
                return width;
            Assert.True(DateTime.UtcNow < deadline, $"frame width stayed {width}: " + await page.EvaluateAsync<JsonElement>(
                "async () => Promise.all(window.sfu.client.snapshot().consumers.map(c => window.sfu.client.protoo.request('getConsumerStats', { consumerId: c.id })))"));
            await Task.Delay(300);
        }
    }
}

/// <summary>Retransmission under loss the server injects on what it sends to consumers.</summary>
public sealed class LossyCallTests(BrowserFixture browser) : BrowserRoomTests(browser, "server.mediasoup.rtp-loss-injection = 0.05")
{
    [Fact]
    public async Task Nacked_packets_are_retransmitted_and_video_keeps_decoding()
    {
        var roomId = "nack-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (peerId, flags) in new[] { ("alice", "&simulcast=false"), ("bob", "&produce=false") })
            await Pages.OpenAsync(roomId, peerId, $"&resolution=qvga{flags}");
        var bob = Pages[1];
        await BrowserWait.UntilAsync(bob, """
            async () => {
              const client = window.sfu.client;
              const video = client?.snapshot().consumers.find(c => c.kind === 'video');
              if (!video) return false;
              const [outbound] = await client.protoo.request('getConsumerStats', { consumerId: video.id });
              const frames = (await client.inboundStats()).find(s => s.kind === 'video')?.framesDecoded ?? 0;
              return outbound.packetsRetransmitted > 0 && frames > 30;
            }
            """, 30_000);
    }
}

/// <summary>
/// Loss the server injects on what it receives: it NACKs the producer's browser and forwards the
/// RTX repairs, and the scores it sends (producerScore, consumerScore) show the loss.
/// </summary>
public sealed class UpstreamLossCallTests(BrowserFixture browser) : BrowserRoomTests(browser, "server.mediasoup.rtp-receive-loss-injection = 0.1")
{
    [Fact]
    public async Task The_server_nacks_upstream_losses_receives_rtx_and_reports_lower_scores()
    {
        var roomId = "upnack-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (peerId, flags) in new[] { ("alice", "&simulcast=false"), ("bob", "&produce=false") })
        {
            var page = await Pages.JoinAsync(roomId, peerId, $"&resolution=qvga{flags}", until: "() => window.sfu.client?.protoo");
            await page.EvaluateAsync("""
                () => {
                  window.scores = [];
                  window.sfu.client.protoo.on('notification', n => { if (n.method.endsWith('Score')) window.scores.push(n); });
                }
                """);
        }
        var (alice, bob) = (Pages[0], Pages[1]);

        // The server's view (getProducerStats) and the browser's (its outbound-rtp: NACKs it got, RTX it sent).
        await BrowserWait.UntilAsync(alice, """
            async () => {
              const client = window.sfu.client;
              const webcam = client?.state.producers.get('webcam');
              if (!webcam) return false;
              const [inbound] = await client.protoo.request('getProducerStats', { producerId: webcam.id });
              const outbound = [...(await webcam.getStats()).values()].find(s => s.type === 'outbound-rtp');
              return inbound && inbound.nackCount > 0 && inbound.packetsRetransmitted > 0 && inbound.packetsRepaired > 0
                && outbound && outbound.nackCount > 0 && outbound.retransmittedPacketsSent > 0;
            }
            """, 30_000);
        await BrowserWait.UntilAsync(bob, "async () => ((await window.sfu.client.inboundStats()).find(s => s.kind === 'video')?.framesDecoded ?? 0) > 30", 30_000,
            diagnostics: RoomPages.ConsumersDiagnostics);

        // Scores are recomputed on each sender report of the browser (about one a second).
        await alice.WaitForFunctionAsync("""
            () => window.scores.some(n => n.method === 'producerScore'
              && n.data.producerId === window.sfu.client.state.producers.get('webcam')?.id
              && n.data.score.length === 1 && n.data.score[0].encodingIdx === 0 && n.data.score[0].score < 10)
            """, null, new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 500 });
        await bob.WaitForFunctionAsync("""
            () => window.scores.some(n => n.method === 'consumerScore'
              && window.sfu.client.snapshot().consumers.some(c => c.id === n.data.consumerId && c.kind === 'video')
              && n.data.score.producerScore < 10 && n.data.score.producerScores.length === 1)
            """, null, new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 500 });
    }
}

/// <summary>
/// Heavy loss the server injects on what it sends: the receiving browser's transport-wide feedback
/// shows it, the transport's bandwidth estimate falls and the simulcast consumer moves down a layer.
/// </summary>
public sealed class DownlinkLossCallTests(BrowserFixture browser) : BrowserRoomTests(browser, "server.mediasoup.rtp-loss-injection = 0.3")
{
    [Fact]
    public async Task The_bandwidth_estimate_falls_and_the_consumer_drops_to_a_lower_layer()
    {
        var roomId = "bwe-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (peerId, flags) in new[] { ("alice", "&resolution=vga&numSimulcastStreams=2"), ("bob", "&resolution=qvga&produce=false") })
            await Pages.OpenAsync(roomId, peerId, flags);
        var bob = Pages[1];
        await BrowserWait.UntilAsync(bob, """
            async () => {
              const client = window.sfu.client;
              const video = client?.snapshot().consumers.find(c => c.kind === 'video');
              if (!video || video.layers?.spatialLayer !== 0) return false;
              if (!client.recvTransport) return false;
              const [transport] = await client.protoo.request('getTransportStats', { transportId: client.recvTransport.id });
              return transport.availableOutgoingBitrate < 1000000;
            }
            """, 40_000, "layer 0 and a lower estimate", """
            async () => {
              const client = window.sfu.client;
              const video = client.snapshot().consumers.find(c => c.kind === 'video');
              const [transport] = await client.protoo.request('getTransportStats', { transportId: client.recvTransport.id });
              const consumer = video ? await client.protoo.request('getConsumerStats', { consumerId: video.id }) : null;
              return { layers: video?.layers ?? null, availableOutgoingBitrate: transport.availableOutgoingBitrate, consumer };
            }
            """);
        await BrowserWait.UntilAsync(bob, "async () => ((await window.sfu.client.inboundStats()).find(s => s.kind === 'video')?.framesDecoded ?? 0) > 30", 30_000,
            diagnostics: RoomPages.ConsumersDiagnostics);

        // Not for want of a higher layer: alice's browser does send its upper layer, bob keeps layer 0.
        await BrowserWait.UntilAsync(Pages[0], """
            async () => {
              const client = window.sfu.client;
              const webcam = client?.state.producers.get('webcam');
              if (!webcam) return false;
              const top = async () => ((await client.protoo.request('getProducerStats', { producerId: webcam.id })).find(s => s.rid === 'r1')?.byteCount ?? 0);
              const before = await top();
              await new Promise(resolve => setTimeout(resolve, 1000));
              return (await top()) - before > 10000;
            }
            """, 30_000);
        await BrowserWait.UntilAsync(bob, """
            async () => {
              const client = window.sfu.client;
              const video = client.snapshot().consumers.find(c => c.kind === 'video');
              const [outbound] = await client.protoo.request('getConsumerStats', { consumerId: video.id });
              return outbound.currentSpatialLayer === 0;
            }
            """, 20_000, "the consumer on layer 0 while layer 1 is sent");
    }
}
