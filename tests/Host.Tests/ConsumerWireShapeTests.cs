using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>
/// newConsumer as mediasoup 3.27 sends it to the same mediasoup-client, over real protoo
/// WebSockets: the producer's msid passed on, and one RTCP CNAME per producing transport, never
/// empty (mediasoup-client writes a consumer's a=ssrc lines only for a non-empty CNAME, and
/// stacks that demultiplex by SSRC, such as werift, need them).
/// </summary>
public sealed class ConsumerWireShapeTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // What mediasoup-client sends for Chromium's simulcast camera: rids and no a=ssrc, so an empty CNAME.
    private const string SimulcastVideo = """
        {"mid":"1","msid":"stream-1 camera-1",
         "codecs":[{"mimeType":"video/VP8","payloadType":96,"clockRate":90000,"parameters":{},"rtcpFeedback":[{"type":"nack","parameter":""},{"type":"nack","parameter":"pli"}]},
                   {"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":96},"rtcpFeedback":[]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":1,"encrypt":false,"parameters":{}},
                             {"uri":"urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id","id":2,"encrypt":false,"parameters":{}}],
         "encodings":[{"rid":"r0","scalabilityMode":"L1T3","maxBitrate":300000},{"rid":"r1","scalabilityMode":"L1T3","maxBitrate":900000}],
         "rtcp":{"cname":"","reducedSize":true}}
        """;

    private const string Microphone = """
        {"mid":"0","msid":"stream-1 microphone-1",
         "codecs":[{"mimeType":"audio/opus","payloadType":111,"clockRate":48000,"channels":2,"parameters":{"useinbandfec":1},"rtcpFeedback":[]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":1,"encrypt":false,"parameters":{}}],
         "encodings":[{"ssrc":11111111,"dtx":false}],
         "rtcp":{"cname":"microphone-cname","reducedSize":true}}
        """;

    [Fact]
    public async Task NewConsumer_carries_the_producers_msid_and_the_transports_one_non_empty_cname()
    {
        var roomId = "shape-" + Guid.NewGuid().ToString("N")[..6];
        await using var viewer = await ProtooTestClient.ConnectAsync(_server, roomId, "viewer");
        var capabilities = (await viewer.RequestOkAsync("getRouterRtpCapabilities"))!.AsObject();
        await viewer.RequestOkAsync("createWebRtcTransport", new JsonObject { ["consuming"] = true });
        await viewer.RequestOkAsync("join", new JsonObject
        {
            ["displayName"] = "viewer",
            ["device"] = new JsonObject { ["flag"] = "werift", ["name"] = "werift" },
            ["rtpCapabilities"] = capabilities.DeepClone(),
        });

        await using var sender = await ProtooTestClient.ConnectAsync(_server, roomId, "sender");
        var transport = await sender.RequestOkAsync("createWebRtcTransport", new JsonObject { ["producing"] = true });
        await sender.RequestOkAsync("join", new JsonObject { ["displayName"] = "sender", ["device"] = new JsonObject { ["flag"] = "chrome" } });
        var transportId = transport!["id"]!.GetValue<string>();
        await sender.RequestOkAsync("produce", new JsonObject
        {
            ["transportId"] = transportId, ["kind"] = "video", ["rtpParameters"] = JsonNode.Parse(SimulcastVideo), ["appData"] = new JsonObject(),
        });
        var video = await viewer.AcceptNewConsumerAsync();
        await sender.RequestOkAsync("produce", new JsonObject
        {
            ["transportId"] = transportId, ["kind"] = "audio", ["rtpParameters"] = JsonNode.Parse(Microphone), ["appData"] = new JsonObject(),
        });
        var audio = await viewer.AcceptNewConsumerAsync();

        var videoParameters = video["rtpParameters"]!;
        var cname = videoParameters["rtcp"]!["cname"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{8}$", cname);
        Assert.Equal("stream-1 camera-1", videoParameters["msid"]!.GetValue<string>());
        Assert.True(videoParameters["rtcp"]!["reducedSize"]!.GetValue<bool>());
        var encoding = videoParameters["encodings"]!.AsArray().Single()!;
        Assert.Equal("L2T3", encoding["scalabilityMode"]!.GetValue<string>());
        Assert.NotNull(encoding["ssrc"]);
        Assert.NotNull(encoding["rtx"]!["ssrc"]);

        // The transport's CNAME was fixed by its first producer: the microphone's own one is overridden.
        var audioParameters = audio["rtpParameters"]!;
        Assert.Equal(cname, audioParameters["rtcp"]!["cname"]!.GetValue<string>());
        Assert.Equal("stream-1 microphone-1", audioParameters["msid"]!.GetValue<string>());
        Assert.Equal(["peerId", "producerId", "id", "kind", "rtpParameters", "type", "appData", "producerPaused"],
            audio.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(["mid", "codecs", "headerExtensions", "encodings", "rtcp", "msid"],
            audioParameters.AsObject().Select(p => p.Key).ToArray());
    }
}
