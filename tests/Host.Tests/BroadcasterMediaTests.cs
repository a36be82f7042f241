using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>The broadcaster HTTP API with media: plain and WebRTC transports, produce, consume, data, over real HTTP and real loopback UDP.</summary>
public sealed class BroadcasterMediaTests : IAsyncLifetime
{
    private const string Opus = """{"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2,"parameters":{"sprop-stereo":1}}],"encodings":[{"ssrc":1111}]}""";
    private const string Vp8 = """{"codecs":[{"mimeType":"video/vp8","payloadType":101,"clockRate":90000}],"encodings":[{"ssrc":2222}]}""";

    private TestServer _server = null!;
    private readonly HttpClient _http = TestServer.CreateHttpClient();
    private readonly string _roomId = "room-" + Guid.NewGuid().ToString("N")[..8];
    private ProtooTestClient _alice = null!;
    private string _aliceTransportId = null!;
    private JsonNode _routerCapabilities = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        (_alice, _aliceTransportId) = await JoinConsumingAsync("alice", "Alice");
        _routerCapabilities = JsonNode.Parse(await _http.GetStringAsync(new Uri(_server.HttpsUri, $"/rooms/{_roomId}")))!;
    }

    public async Task DisposeAsync()
    {
        await _alice.DisposeAsync();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>A protoo peer that joins with the router's capabilities and a consuming transport with SCTP, as mediasoup-client would.</summary>
    private async Task<(ProtooTestClient Client, string TransportId)> JoinConsumingAsync(string peerId, string displayName)
    {
        var client = await ProtooTestClient.ConnectAsync(_server, _roomId, peerId);
        var capabilities = await client.RequestOkAsync("getRouterRtpCapabilities");
        var transport = await client.RequestOkAsync("createWebRtcTransport", new JsonObject
        {
            ["forceTcp"] = false, ["producing"] = false, ["consuming"] = true,
            ["sctpCapabilities"] = new JsonObject { ["numStreams"] = new JsonObject { ["OS"] = 1024, ["MIS"] = 1024 } },
        });
        await client.RequestOkAsync("join", new JsonObject
        {
            ["displayName"] = displayName,
            ["device"] = new JsonObject { ["flag"] = "chrome", ["name"] = "Chrome", ["version"] = "156" },
            ["rtpCapabilities"] = capabilities!.DeepClone(),
            ["sctpCapabilities"] = new JsonObject { ["numStreams"] = new JsonObject { ["OS"] = 1024, ["MIS"] = 1024 } },
        });
        return (client, transport!["id"]!.GetValue<string>());
    }

    private string B(string path = "") => $"/rooms/{_roomId}/broadcasters{path}";

    private async Task<JsonNode> PostOkAsync(string path, string json, Uri? root = null)
    {
        var response = await _http.PostAsync(new Uri(root ?? _server.HttpsUri, path), new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!;
    }

    private async Task AssertFailsAsync(string path, string json, HttpStatusCode status, string error)
    {
        var response = await _http.PostAsync(new Uri(_server.HttpsUri, path), new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(error, await response.Content.ReadAsStringAsync());
    }

    private async Task CreateBroadcasterAsync(string id, bool withCapabilities, Uri? root = null)
    {
        var capabilities = withCapabilities ? $",\"rtpCapabilities\":{_routerCapabilities.ToJsonString()}" : "";
        await PostOkAsync(B(), $$"""{"id":"{{id}}","displayName":"{{id}}","device":{"name":"FFmpeg"}{{capabilities}}}""", root);
    }

    [Fact]
    public async Task Ffmpeg_style_plain_broadcast_reaches_peers_and_a_consuming_broadcaster_over_udp()
    {
        // The ffmpeg.sh sequence, on the plain-HTTP listener: broadcaster, a comedia transport per kind (rtcpMux off), produce.
        await CreateBroadcasterAsync("ffmpeg", withCapabilities: false, _server.HttpUri);
        Assert.Equal("ffmpeg", (await _alice.NotificationAsync("newPeer"))["data"]!["id"]!.GetValue<string>());
        var audio = await PostOkAsync(B("/ffmpeg/transports"), """{"type":"plain","comedia":true,"rtcpMux":false}""", _server.HttpUri);
        var video = await PostOkAsync(B("/ffmpeg/transports"), """{"type":"plain","comedia":true,"rtcpMux":false}""", _server.HttpUri);
        Assert.Equal("127.0.0.1", audio["ip"]!.GetValue<string>());
        Assert.NotNull(audio["rtcpPort"]);
        Assert.NotEqual(audio["port"]!.GetValue<int>(), video["port"]!.GetValue<int>());
        var audioProducer = await PostOkAsync(B($"/ffmpeg/transports/{audio["id"]}/producers"), $$"""{"kind":"audio","rtpParameters":{{Opus}}}""", _server.HttpUri);
        var videoProducer = await PostOkAsync(B($"/ffmpeg/transports/{video["id"]}/producers"), $$"""{"kind":"video","rtpParameters":{{Vp8}}}""", _server.HttpUri);

        // Every protoo peer consumes the broadcaster's producers, as another peer's.
        var offered = new[] { await _alice.AcceptNewConsumerAsync(), await _alice.AcceptNewConsumerAsync() };
        Assert.All(offered, o => Assert.Equal("ffmpeg", o["peerId"]!.GetValue<string>()));
        Assert.All(offered, o => Assert.True(JsonNode.DeepEquals(new JsonObject(), o["appData"]), "a broadcaster's producer has no appData"));
        Assert.Equal(
            new[] { audioProducer["id"]!.GetValue<string>(), videoProducer["id"]!.GetValue<string>() }.Order(),
            offered.Select(o => o["producerId"]!.GetValue<string>()).Order());

        // A second broadcaster consumes the audio on a plain transport connected to our socket.
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await CreateBroadcasterAsync("listener", withCapabilities: true);
        var output = await PostOkAsync(B("/listener/transports"), """{"type":"plain","comedia":false,"rtcpMux":true}""");
        Assert.Null(output["rtcpPort"]);
        await PostOkAsync(B($"/listener/transports/{output["id"]}/plain/connect"), $$"""{"ip":"127.0.0.1","port":{{((IPEndPoint)receiver.LocalEndPoint!).Port}}}""");
        var consumer = await PostOkAsync(B($"/listener/transports/{output["id"]}/consume?producerId={audioProducer["id"]}"), "{}");
        Assert.Equal(audioProducer["id"]!.GetValue<string>(), consumer["producerId"]!.GetValue<string>());
        Assert.Equal("audio", consumer["kind"]!.GetValue<string>());
        Assert.Equal("simple", consumer["type"]!.GetValue<string>());
        var consumerSsrc = consumer["rtpParameters"]!["encodings"]![0]!["ssrc"]!.GetValue<uint>();
        var consumerPayloadType = consumer["rtpParameters"]!["codecs"]![0]!["payloadType"]!.GetValue<int>();

        using var ffmpeg = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        ffmpeg.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[2048];
        var received = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        for (ushort sequence = 1; received == 0 || buffer[1] is >= 192 and <= 223; sequence++)
        {
            Assert.True(DateTime.UtcNow < deadline, "no RTP forwarded to the consuming broadcaster");
            ffmpeg.SendTo(OpusRtp(1111, sequence), new IPEndPoint(IPAddress.Loopback, audio["port"]!.GetValue<int>()));
            received = receiver.Poll(20_000, SelectMode.SelectRead) ? receiver.Receive(buffer) : 0;
        }
        Assert.Equal(consumerSsrc, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8)));
        Assert.Equal(consumerPayloadType, buffer[1] & 0x7F);

        // mediasoup's default for consume: RTX for video only, whatever the transport.
        static bool IsRtx(JsonNode? codec) => codec!["mimeType"]!.GetValue<string>().EndsWith("/rtx", StringComparison.Ordinal);
        Assert.DoesNotContain(consumer["rtpParameters"]!["codecs"]!.AsArray(), IsRtx);
        var videoConsumer = await PostOkAsync(B($"/listener/transports/{output["id"]}/consume?producerId={videoProducer["id"]}"), "{}");
        Assert.Contains(videoConsumer["rtpParameters"]!["codecs"]!.AsArray(), IsRtx);
        Assert.NotNull(videoConsumer["rtpParameters"]!["encodings"]![0]!["rtx"]);

        // A late joiner gets the broadcaster in join's peers and consumes its producers too.
        var (bob, _) = await JoinConsumingAsync("bob", "Bob");
        await using (bob)
        {
            var late = new[] { await bob.AcceptNewConsumerAsync(), await bob.AcceptNewConsumerAsync() };
            Assert.All(late, o => Assert.Equal("ffmpeg", o["peerId"]!.GetValue<string>()));
        }

        // Deleting it closes alice's consumers of it, then it leaves like a peer; the room carries on.
        var deleted = await _http.DeleteAsync(new Uri(_server.HttpUri, B("/ffmpeg")));
        Assert.Equal("broadcaster deleted", await deleted.Content.ReadAsStringAsync());
        var closed = new[] { await _alice.NotificationAsync("consumerClosed"), await _alice.NotificationAsync("consumerClosed") };
        Assert.Equal(offered.Select(o => o["id"]!.GetValue<string>()).Order(), closed.Select(c => c["data"]!["consumerId"]!.GetValue<string>()).Order());
        await _alice.NextAsync(m => m["method"]?.GetValue<string>() == "peerClosed" && m["data"]!["peerId"]!.GetValue<string>() == "ffmpeg", "peerClosed ffmpeg");
        await AssertFailsAsync(B($"/listener/transports/{output["id"]}/consume?producerId={audioProducer["id"]}"), "{}",
            HttpStatusCode.InternalServerError, $"Error: producer with id \"{audioProducer["id"]}\" not found");
        await _alice.RequestOkAsync("getRouterRtpCapabilities");
    }

    [Fact]
    public async Task Srtp_plain_transport_exchanges_srtpParameters()
    {
        await CreateBroadcasterAsync("secure", withCapabilities: false);
        var transport = await PostOkAsync(B("/secure/transports"), """{"type":"plain","comedia":true,"rtcpMux":true,"enableSrtp":true,"srtpCryptoSuite":"AEAD_AES_256_GCM"}""");
        Assert.Equal("AEAD_AES_256_GCM", transport["srtpParameters"]!["cryptoSuite"]!.GetValue<string>());
        Assert.Equal(44, Convert.FromBase64String(transport["srtpParameters"]!["keyBase64"]!.GetValue<string>()).Length);

        var t = B($"/secure/transports/{transport["id"]}");
        await AssertFailsAsync($"{t}/plain/connect", """{"srtpParameters":{"cryptoSuite":"AES_CM_128_HMAC_SHA1_80","keyBase64":"c2hvcnQ="}}""",
            HttpStatusCode.BadRequest, "TypeError: invalid srtpParameters.keyBase64 (5 bytes, AES_CM_128_HMAC_SHA1_80 needs 30)");
        var key = Convert.ToBase64String(new byte[30]);
        var connected = await PostOkAsync($"{t}/plain/connect", "{\"srtpParameters\":{\"cryptoSuite\":\"AES_CM_128_HMAC_SHA1_80\",\"keyBase64\":\"" + key + "\"}}");
        Assert.Equal("AES_CM_128_HMAC_SHA1_80", connected["srtpParameters"]!["cryptoSuite"]!.GetValue<string>());
        Assert.Equal(30, Convert.FromBase64String(connected["srtpParameters"]!["keyBase64"]!.GetValue<string>()).Length);
        await AssertFailsAsync($"{t}/plain/connect", "{\"srtpParameters\":{\"cryptoSuite\":\"AES_CM_128_HMAC_SHA1_80\",\"keyBase64\":\"" + key + "\"}}",
            HttpStatusCode.InternalServerError, "Error: connect() already called");
    }

    [Fact]
    public async Task WebRtc_broadcaster_transport_with_data_channels_and_the_seed_routes()
    {
        await CreateBroadcasterAsync("native", withCapabilities: true);
        var transport = await PostOkAsync(B("/native/transports"), """{"type":"webrtc","rtcpMux":true,"sctpCapabilities":{"numStreams":{"OS":1024,"MIS":1024}}}""");
        Assert.Equal("auto", transport["dtlsParameters"]!["role"]!.GetValue<string>());
        Assert.NotEmpty(transport["iceCandidates"]!.AsArray());
        Assert.Equal(5000, transport["sctpParameters"]!["port"]!.GetValue<int>());
        var t = B($"/native/transports/{transport["id"]}");

        var chat = await PostOkAsync($"{t}/produce/data", """{"label":"chat","protocol":"","sctpStreamParameters":{"streamId":0,"ordered":true},"appData":{"info":"my-chat"}}""");
        // The seed's route: alice (a protoo peer) and the broadcaster itself consume the chat on their transports.
        var aliceChat = await PostOkAsync($"/rooms/{_roomId}/peerId/alice/transports/{_aliceTransportId}/consume/data", $$"""{"dataProducerId":"{{chat["id"]}}"}""");
        var aliceStream = aliceChat["streamId"]!.GetValue<int>(); // after the Bot's stream, which alice got at join
        var ownChat = await PostOkAsync($"{t}/consume/data", $$"""{"dataProducerId":"{{chat["id"]}}"}""");
        Assert.NotNull(ownChat["id"]);

        foreach (var route in new[] { "chensong", "AllDataProducers" })
        {
            var directory = JsonNode.Parse(await _http.GetStringAsync(new Uri(_server.HttpUri, $"/rooms/{_roomId}/{route}")))!["peers"]!.AsArray();
            var native = directory.Single(p => p!["id"]!.GetValue<string>() == "native")!;
            Assert.Equal(transport["id"]!.GetValue<string>(), native["transports"]![0]!["id"]!.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""[{"id":"{{chat["id"]}}","label":"chat","protocol":""}]"""), native["dataProducers"]));
            var alice = directory.Single(p => p!["id"]!.GetValue<string>() == "alice")!;
            var consumer = alice["dataConsumers"]![0]!;
            Assert.Equal(aliceChat["id"]!.GetValue<string>(), consumer["id"]!.GetValue<string>());
            Assert.Equal("native", consumer["displayName"]!.GetValue<string>());
            Assert.Equal("my-chat", consumer["AppData"]!["info"]!.GetValue<string>());
            Assert.Equal(aliceStream, consumer["sctpStreamParameters"]!["streamId"]!.GetValue<int>());
            Assert.True(consumer["sctpStreamParameters"]!["ordered"]!.GetValue<bool>());
        }

        // connect with DTLS parameters is accepted (DTLS starts once ICE completes); the plain route refuses a WebRTC transport.
        await PostOkAsync($"{t}/connect", """{"dtlsParameters":{"role":"client","fingerprints":[{"algorithm":"sha-256","value":"AA:BB"}]}}""");
        await AssertFailsAsync($"{t}/plain/connect", """{"ip":"127.0.0.1","port":5000}""",
            HttpStatusCode.InternalServerError, $"Error: transport with id \"{transport["id"]}\" is not a PlainTransport");
    }

    [Fact]
    public async Task Bad_input_answers_the_documented_status_and_the_room_carries_on()
    {
        await CreateBroadcasterAsync("bad", withCapabilities: true);
        var plain = await PostOkAsync(B("/bad/transports"), """{"type":"plain"}""");
        var t = B($"/bad/transports/{plain["id"]}");
        Assert.NotNull(plain["rtcpPort"]); // rtcpMux defaults to false

        await AssertFailsAsync(B("/ghost/transports"), """{"type":"nope"}""", HttpStatusCode.InternalServerError, "Error: broadcaster with id \"ghost\" does not exist");
        await AssertFailsAsync(B("/bad/transports"), """{"type":"nope"}""", HttpStatusCode.BadRequest, "TypeError: invalid type");
        await AssertFailsAsync(B("/bad/transports"), """{"type":"plain","enableSrtp":true,"srtpCryptoSuite":"ROT13"}""", HttpStatusCode.BadRequest,
            "TypeError: invalid/unsupported srtpCryptoSuite \"ROT13\"");
        await AssertFailsAsync(B("/bad/transports/nope/producers"), "{}", HttpStatusCode.InternalServerError, "Error: transport with id \"nope\" does not exist");
        await AssertFailsAsync($"{t}/producers", """{"rtpParameters":{}}""", HttpStatusCode.BadRequest, "TypeError: missing body.kind");
        await AssertFailsAsync($"{t}/producers", $$"""{"kind":"data","rtpParameters":{{Opus}}}""", HttpStatusCode.BadRequest, "TypeError: invalid kind \"data\"");
        var badCodec = await _http.PostAsync(new Uri(_server.HttpsUri, $"{t}/producers"),
            new StringContent("""{"kind":"audio","rtpParameters":{"codecs":[{"mimeType":"audio/G722","payloadType":9,"clockRate":8000}],"encodings":[{"ssrc":5}]}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.InternalServerError, badCodec.StatusCode);
        await AssertFailsAsync($"{t}/producers", "{\"kind\":", HttpStatusCode.BadRequest,
            (await (await _http.PostAsync(new Uri(_server.HttpsUri, $"{t}/producers"), new StringContent("{\"kind\":", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()));
        await AssertFailsAsync($"{t}/connect", """{"dtlsParameters":{"fingerprints":[{"algorithm":"sha-256","value":"AA"}]}}""",
            HttpStatusCode.InternalServerError, $"Error: transport with id \"{plain["id"]}\" is not a WebRtcTransport");
        var explicitTransport = await PostOkAsync(B("/bad/transports"), """{"type":"plain","comedia":false}""");
        var e = B($"/bad/transports/{explicitTransport["id"]}");
        await AssertFailsAsync($"{e}/plain/connect", "{}", HttpStatusCode.BadRequest, "TypeError: missing ip");
        await AssertFailsAsync($"{e}/plain/connect", """{"ip":"127.0.0.1","port":5000}""", HttpStatusCode.BadRequest, "TypeError: missing or invalid rtcpPort");
        await AssertFailsAsync($"{e}/plain/connect", """{"port":70000}""", HttpStatusCode.BadRequest, "TypeError: invalid body.port");
        await AssertFailsAsync($"{t}/consume?producerId=ghost", "{}", HttpStatusCode.InternalServerError, "Error: producer with id \"ghost\" not found");
        await AssertFailsAsync($"{t}/consume/data", "{}", HttpStatusCode.BadRequest, "TypeError: missing body.dataProducerId");
        await AssertFailsAsync($"{t}/consume/data", """{"dataProducerId":"x"}""", HttpStatusCode.InternalServerError, "Error: SCTP not enabled by remote Transport");
        await AssertFailsAsync($"{t}/produce/data", """{"sctpStreamParameters":{"streamId":1}}""", HttpStatusCode.InternalServerError, "Error: SCTP not enabled by remote Transport");
        await AssertFailsAsync($"/rooms/{_roomId}/peerId/alice/transports/nope/consume/data", """{"dataProducerId":"x"}""",
            HttpStatusCode.InternalServerError, "Error: transport with id \"nope\" does not exist");

        // The room and the broadcaster are fine: a valid request still works.
        await PostOkAsync($"{e}/plain/connect", """{"ip":"127.0.0.1","port":40998,"rtcpPort":40999}""");
        await PostOkAsync($"{t}/plain/connect", "{}");
        await PostOkAsync($"{t}/producers", $$"""{"kind":"audio","rtpParameters":{{Opus}}}""");
        await _alice.RequestOkAsync("getRouterRtpCapabilities");
    }

    [Fact]
    public async Task A_broadcaster_with_capabilities_sees_the_peers_producers_it_can_consume_and_consumes_them()
    {
        var send = await _alice.RequestOkAsync("createWebRtcTransport", new JsonObject { ["forceTcp"] = false, ["producing"] = true, ["consuming"] = false });
        var produced = await _alice.RequestOkAsync("produce", new JsonObject
        {
            ["transportId"] = send!["id"]!.GetValue<string>(),
            ["kind"] = "audio",
            ["rtpParameters"] = JsonNode.Parse("""{"mid":"0","codecs":[{"mimeType":"audio/opus","payloadType":111,"clockRate":48000,"channels":2}],"encodings":[{"ssrc":4444}]}"""),
            ["appData"] = new JsonObject(),
        });
        var producerId = produced!["id"]!.GetValue<string>();

        var created = await PostOkAsync(B(), $$"""{"id":"native","displayName":"Native","device":{"name":"libmediasoupclient"},"rtpCapabilities":{{_routerCapabilities.ToJsonString()}}}""");
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""[{"id":"alice","displayName":"Alice","device":{"flag":"chrome","name":"Chrome","version":"156"},"producers":[{"id":"{{producerId}}","kind":"audio"}]}]"""),
            created["peers"]));
        var videoOnly = await PostOkAsync(B(), """{"id":"videoonly","displayName":"V","device":{"name":"x"},"rtpCapabilities":{"codecs":[{"kind":"video","mimeType":"video/VP8","clockRate":90000,"preferredPayloadType":96}],"headerExtensions":[]}}""");
        Assert.Empty(videoOnly["peers"]![0]!["producers"]!.AsArray());

        var recv = await PostOkAsync(B("/native/transports"), """{"type":"webrtc"}""");
        var consumer = await PostOkAsync(B($"/native/transports/{recv["id"]}/consume?producerId={producerId}"), "{}");
        Assert.Equal("audio", consumer["kind"]!.GetValue<string>());
        Assert.Equal("0", consumer["rtpParameters"]!["mid"]!.GetValue<string>());
        Assert.Equal("audio/opus", consumer["rtpParameters"]!["codecs"]![0]!["mimeType"]!.GetValue<string>());

        // closeProducer closes the broadcaster's consumer of it too; the broadcaster stays.
        await _alice.RequestOkAsync("closeProducer", new JsonObject { ["producerId"] = producerId });
        await AssertFailsAsync(B($"/native/transports/{recv["id"]}/consume?producerId={producerId}"), "{}",
            HttpStatusCode.InternalServerError, $"Error: producer with id \"{producerId}\" not found");
        var directory = JsonNode.Parse(await _http.GetStringAsync(new Uri(_server.HttpsUri, $"/rooms/{_roomId}/chensong")))!;
        Assert.Contains(directory["peers"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "native");
    }

    private static byte[] OpusRtp(uint ssrc, ushort sequence)
    {
        var packet = new byte[12 + 40];
        packet[0] = 0x80;
        packet[1] = 100;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 960u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet.AsSpan(12).Fill(0xAB);
        return packet;
    }
}
