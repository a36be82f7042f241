using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>mediasoup-demo's consumerReplicas URL parameter: every producer is consumed that many more times.</summary>
public sealed class ConsumerReplicasTests : IAsyncLifetime
{
    private const string Vp8 = """{"codecs":[{"mimeType":"video/vp8","payloadType":101,"clockRate":90000}],"encodings":[{"ssrc":2222}]}""";

    private TestServer _server = null!;
    private readonly HttpClient _http = TestServer.CreateHttpClient();
    private readonly string _roomId = "replicas-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_room_opened_with_consumerReplicas_2_offers_three_consumers_of_each_producer()
    {
        await using var alice = await ProtooTestClient.ConnectUrlAsync(new Uri(_server.WebSocketUri(_roomId, "alice") + "&consumerReplicas=2"));
        var capabilities = await alice.RequestOkAsync("getRouterRtpCapabilities");
        await alice.RequestOkAsync("createWebRtcTransport", new JsonObject { ["forceTcp"] = false, ["producing"] = false, ["consuming"] = true });
        await alice.RequestOkAsync("join", new JsonObject
        {
            ["displayName"] = "Alice",
            ["device"] = new JsonObject { ["flag"] = "chrome", ["name"] = "Chrome", ["version"] = "156" },
            ["rtpCapabilities"] = capabilities!.DeepClone(),
        });

        var producerId = await BroadcastVideoAsync();
        var offers = new List<JsonNode>();
        for (var i = 0; i < 3; i++)
            offers.Add(await alice.AcceptNewConsumerAsync());

        Assert.All(offers, offer => Assert.Equal(producerId, offer["producerId"]!.GetValue<string>()));
        Assert.Equal(3, offers.Select(o => o["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(3, offers.Select(o => o["rtpParameters"]!["mid"]!.GetValue<string>()).Distinct().Count());
        Assert.True(await alice.NothingArrivesAsync(m => m["method"]?.GetValue<string>() == "newConsumer", TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Without_the_parameter_each_producer_is_consumed_once()
    {
        await using var alice = await ProtooTestClient.ConnectAsync(_server, _roomId, "alice");
        var capabilities = await alice.RequestOkAsync("getRouterRtpCapabilities");
        await alice.RequestOkAsync("createWebRtcTransport", new JsonObject { ["forceTcp"] = false, ["producing"] = false, ["consuming"] = true });
        await alice.RequestOkAsync("join", new JsonObject
        {
            ["displayName"] = "Alice",
            ["device"] = new JsonObject { ["flag"] = "chrome", ["name"] = "Chrome", ["version"] = "156" },
            ["rtpCapabilities"] = capabilities!.DeepClone(),
        });

        await BroadcastVideoAsync();

        await alice.AcceptNewConsumerAsync();
        Assert.True(await alice.NothingArrivesAsync(m => m["method"]?.GetValue<string>() == "newConsumer", TimeSpan.FromMilliseconds(500)));
    }

    /// <summary>A broadcaster with a plain transport and a VP8 producer, over the HTTP API; returns the producer's id.</summary>
    private async Task<string> BroadcastVideoAsync()
    {
        var root = $"/rooms/{_roomId}/broadcasters";
        await PostOkAsync(root, """{"id":"camera","displayName":"camera","device":{"name":"FFmpeg"}}""");
        var transport = await PostOkAsync($"{root}/camera/transports", """{"type":"plain","comedia":true,"rtcpMux":true}""");
        var producer = await PostOkAsync($"{root}/camera/transports/{transport["id"]}/producers", $$"""{"kind":"video","rtpParameters":{{Vp8}}}""");
        return producer["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> PostOkAsync(string path, string json)
    {
        var response = await _http.PostAsync(new Uri(_server.HttpsUri, path), new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
