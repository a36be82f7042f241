using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>Limits over the whole node (broadcasters, plain transports) and over what one member consumes, against the real server.</summary>
public sealed class NodeAndMemberLimitTests
{
    private const string Opus = """{"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2}],"encodings":[{"ssrc":1111}]}""";
    private const string Vp8 = """{"codecs":[{"mimeType":"video/vp8","payloadType":101,"clockRate":90000}],"encodings":[{"ssrc":2222}]}""";

    private readonly HttpClient _http = TestServer.CreateHttpClient();

    private static string NewRoomId() => "room-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(TestServer server, string path, string json)
    {
        var response = await _http.PostAsync(new Uri(server.HttpsUri, path), new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> PostOkAsync(TestServer server, string path, string json)
    {
        var (status, body) = await PostAsync(server, path, json);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body}");
        return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!;
    }

    private Task<(HttpStatusCode Status, string Body)> CreateBroadcasterAsync(TestServer server, string roomId, string id, string capabilities = "") =>
        PostAsync(server, $"/rooms/{roomId}/broadcasters",
            $$"""{"id":"{{id}}","displayName":"{{id}}","device":{"name":"FFmpeg"}{{(capabilities.Length > 0 ? $",\"rtpCapabilities\":{capabilities}" : "")}}}""");

    private async Task DeleteBroadcasterAsync(TestServer server, string roomId, string id) =>
        Assert.Equal(HttpStatusCode.OK, (await _http.DeleteAsync(new Uri(server.HttpsUri, $"/rooms/{roomId}/broadcasters/{id}"))).StatusCode);

    /// <summary>A room exists once a protoo peer opened it.</summary>
    private static async Task<ProtooTestClient> OpenRoomAsync(TestServer server, string roomId) =>
        (await ProtooTestClient.JoinAsync(server, roomId, "host", "Host")).Client;

    [Fact]
    public async Task Broadcasters_of_all_rooms_count_against_the_node_limit_and_deleting_one_frees_its_place()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.max-broadcasters = 2");
        var (roomA, roomB) = (NewRoomId(), NewRoomId());
        await using var a = await OpenRoomAsync(server, roomA);
        await using var b = await OpenRoomAsync(server, roomB);

        Assert.Equal(HttpStatusCode.OK, (await CreateBroadcasterAsync(server, roomA, "b1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await CreateBroadcasterAsync(server, roomB, "b2")).Status);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Error: too many broadcasters on this server (limit 2)"),
            await CreateBroadcasterAsync(server, roomA, "b3"));
        Assert.True(await a.NothingArrivesAsync(m => m["method"]?.GetValue<string>() == "newPeer" && m["data"]!["id"]!.GetValue<string>() == "b3",
            TimeSpan.FromMilliseconds(200)), "a refused broadcaster was announced");

        await DeleteBroadcasterAsync(server, roomB, "b2");
        Assert.Equal(HttpStatusCode.OK, (await CreateBroadcasterAsync(server, roomA, "b3")).Status);
    }

    [Fact]
    public async Task Plain_transports_of_all_rooms_count_against_the_node_limit_until_their_broadcaster_goes()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.max-plain-transports = 1");
        var (roomA, roomB) = (NewRoomId(), NewRoomId());
        await using var a = await OpenRoomAsync(server, roomA);
        await using var b = await OpenRoomAsync(server, roomB);
        await CreateBroadcasterAsync(server, roomA, "p1");
        await CreateBroadcasterAsync(server, roomB, "p2");

        await PostOkAsync(server, $"/rooms/{roomA}/broadcasters/p1/transports", """{"type":"plain","comedia":true}""");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Error: too many plain transports on this server (limit 1)"),
            await PostAsync(server, $"/rooms/{roomB}/broadcasters/p2/transports", """{"type":"plain","comedia":true}"""));
        await PostOkAsync(server, $"/rooms/{roomB}/broadcasters/p2/transports", """{"type":"webrtc"}""");

        await DeleteBroadcasterAsync(server, roomA, "p1");
        await PostOkAsync(server, $"/rooms/{roomB}/broadcasters/p2/transports", """{"type":"plain","comedia":true}""");
    }

    [Fact]
    public async Task A_member_at_its_consumer_limit_is_offered_no_more_and_a_broadcasters_consume_is_refused()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.room.member-limits.consumers = 1");
        var roomId = NewRoomId();
        var alice = await ProtooTestClient.ConnectAsync(server, roomId, "alice");
        await using var _ = alice;
        var capabilities = await alice.RequestOkAsync("getRouterRtpCapabilities");
        await alice.RequestOkAsync("createWebRtcTransport", new JsonObject { ["producing"] = false, ["consuming"] = true });
        await alice.RequestOkAsync("join", new JsonObject
        {
            ["displayName"] = "Alice",
            ["device"] = new JsonObject { ["name"] = "Chrome" },
            ["rtpCapabilities"] = capabilities!.DeepClone(),
        });

        await CreateBroadcasterAsync(server, roomId, "ffmpeg");
        var plain = await PostOkAsync(server, $"/rooms/{roomId}/broadcasters/ffmpeg/transports", """{"type":"plain","comedia":true}""");
        var audio = await PostOkAsync(server, $"/rooms/{roomId}/broadcasters/ffmpeg/transports/{plain["id"]}/producers", $$"""{"kind":"audio","rtpParameters":{{Opus}}}""");
        var video = await PostOkAsync(server, $"/rooms/{roomId}/broadcasters/ffmpeg/transports/{plain["id"]}/producers", $$"""{"kind":"video","rtpParameters":{{Vp8}}}""");

        var offered = await alice.AcceptNewConsumerAsync();
        Assert.Equal(audio["id"]!.GetValue<string>(), offered["producerId"]!.GetValue<string>());
        Assert.True(await alice.NothingArrivesAsync(m => m["method"]?.GetValue<string>() == "newConsumer", TimeSpan.FromMilliseconds(500)),
            "a consumer past the limit was offered");

        await CreateBroadcasterAsync(server, roomId, "listener", capabilities.ToJsonString());
        var output = await PostOkAsync(server, $"/rooms/{roomId}/broadcasters/listener/transports", """{"type":"webrtc"}""");
        await PostOkAsync(server, $"/rooms/{roomId}/broadcasters/listener/transports/{output["id"]}/consume?producerId={audio["id"]}", "{}");
        Assert.Equal((HttpStatusCode.InternalServerError, "Error: too many consumers (limit 1 per peer)"),
            await PostAsync(server, $"/rooms/{roomId}/broadcasters/listener/transports/{output["id"]}/consume?producerId={video["id"]}", "{}"));
    }
}
