using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>
/// A peer that is not a browser (mediasoup-client over werift in node, tests/interop/werift-peer)
/// and a Chromium peer (the built-in web client) in one room: each receives the other's audio and
/// video, and they chat both ways over DataChannels.
/// </summary>
public sealed class WeriftInteropTests(BrowserFixture browser) : BrowserRoomTests(browser)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    private static bool Is(JsonObject report, string @event) => report["event"]?.GetValue<string>() == @event;

    private static bool From(JsonObject report, string peerId, string kind) =>
        report["peerId"]?.GetValue<string>() == peerId && report["kind"]?.GetValue<string>() == kind;

    [Fact]
    public async Task A_werift_peer_and_a_Chromium_peer_receive_each_others_media_and_chat()
    {
        var roomId = "werift-" + Guid.NewGuid().ToString("N")[..6];
        // Chromium sends simulcast video: no a=ssrc lines, so its CNAME comes from the server.
        var chrome = await Pages.JoinAsync(roomId, "chrome", "&resolution=qvga&numSimulcastStreams=2", displayName: "Chromium");
        await using var werift = WeriftPeer.Start(Server.HttpsUri, roomId, "werift");
        await werift.ReportAsync(r => Is(r, "joined"), "join", Timeout);

        // werift demultiplexes by SSRC: it receives Chromium's media only if the consumer's remote SDP had a=ssrc lines.
        foreach (var kind in new[] { "audio", "video" })
        {
            var consumer = await werift.ReportAsync(r => Is(r, "consumer") && From(r, "chrome", kind), $"{kind} consumer of Chromium", Timeout);
            Assert.False(string.IsNullOrEmpty(consumer["cname"]?.GetValue<string>()));
            Assert.NotNull(consumer["msid"]?.GetValue<string>());
            var ssrc = consumer["ssrc"]!.GetValue<long>();
            var rtp = await werift.ReportAsync(r => Is(r, "rtp") && From(r, "chrome", kind) && r["packets"]!.GetValue<int>() >= 50,
                $"50 decrypted {kind} packets from Chromium", Timeout);
            Assert.Equal(ssrc, rtp["ssrc"]!.GetValue<long>());
            Assert.True(rtp["payloadBytes"]!.GetValue<int>() > 0);
        }

        // Chromium decodes werift's VP8 and receives its Opus (both encoded by ffmpeg, sent by werift).
        await RoomPages.ReceivesAsync(chrome, ["werift"], Timeout, TimeSpan.FromMilliseconds(500), () => Task.FromResult(werift.Diagnostics()));

        // Chat both ways.
        await werift.ReportAsync(r => Is(r, "producing") && r["label"]?.GetValue<string>() == "chat", "chat DataProducer", Timeout);
        await BrowserWait.UntilAsync(chrome, "() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'chat' && d.peerId === 'werift' && d.readyState === 'open')",
            what: "Chromium's data consumer of werift's chat");
        await werift.SendAsync(new JsonObject { ["chat"] = "hello from werift" });
        await BrowserWait.UntilAsync(chrome, "() => window.sfu.client.state.messages.some(m => m.label === 'chat' && m.peerId === 'werift' && m.text === 'hello from werift')",
            what: "werift's chat message in Chromium");
        await BrowserWait.UntilAsync(chrome, RoomPages.DataChannelsOpen, what: "Chromium's DataChannels");
        await chrome.EvaluateAsync("() => window.sfu.client.sendText('chat', 'hello from Chromium')");
        await werift.ReportAsync(r => Is(r, "chat") && r["peerId"]?.GetValue<string>() == "chrome" && r["text"]?.GetValue<string>() == "hello from Chromium",
            "Chromium's chat message", Timeout);

        Assert.Empty(Pages.ErrorsOf(chrome));
    }
}
