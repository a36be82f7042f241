using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Host.Tests;

public sealed class BroadcasterApiTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private readonly HttpClient _http = TestServer.CreateHttpClient();
    private readonly string _roomId = "room-" + Guid.NewGuid().ToString("N")[..8];
    private ProtooTestClient _peer = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        (_peer, _) = await ProtooTestClient.JoinAsync(_server, _roomId, "alice", "Alice");
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(Uri root, string path, string json) =>
        _http.PostAsync(new Uri(root, path), new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> PostAsync(string path, string json) => PostAsync(_server.HttpsUri, path, json);

    private static async Task AssertFailsAsync(HttpResponseMessage response, HttpStatusCode status, string body)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_room_is_404_with_a_message()
    {
        var response = await _http.GetAsync(new Uri(_server.HttpsUri, "/rooms/nope"));
        await AssertFailsAsync(response, HttpStatusCode.NotFound, "Error: room with id \"nope\" not found");
        response = await PostAsync("/rooms/nope/broadcasters", """{"id":"b","displayName":"B","device":{"name":"FFmpeg"}}""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"displayName":"B","device":{"name":"FFmpeg"}}""", "TypeError: missing body.id")]
    [InlineData("""{"id":"b","device":{"name":"FFmpeg"}}""", "TypeError: missing body.displayName")]
    [InlineData("""{"id":"b","displayName":"B"}""", "TypeError: missing body.device.name")]
    [InlineData("""{"id":"b","displayName":"B","device":{"name":"FFmpeg"},"rtpCapabilities":"x"}""", "TypeError: wrong body.rtpCapabilities")]
    public async Task Create_broadcaster_validates_its_body_with_400(string body, string error)
    {
        await AssertFailsAsync(await PostAsync($"/rooms/{_roomId}/broadcasters", body), HttpStatusCode.BadRequest, error);
    }

    [Fact]
    public async Task Sizes_over_their_limits_are_refused_before_the_room()
    {
        var longName = $$$"""{"id":"b","displayName":"{{{new string('n', 257)}}}","device":{"name":"FFmpeg"}}""";
        await AssertFailsAsync(await PostAsync($"/rooms/{_roomId}/broadcasters", longName), HttpStatusCode.BadRequest,
            "TypeError: displayName longer than 256 characters");
        var longId = $$$"""{"id":"{{{new string('i', 129)}}}","displayName":"B","device":{"name":"FFmpeg"}}""";
        await AssertFailsAsync(await PostAsync($"/rooms/{_roomId}/broadcasters", longId), HttpStatusCode.BadRequest,
            "TypeError: id longer than 128 characters");
        var huge = $$$"""{"id":"b","displayName":"B","device":{"name":"FFmpeg"},"padding":"{{{new string('p', 1_000_000)}}}"}""";
        await AssertFailsAsync(await PostAsync($"/rooms/{_roomId}/broadcasters", huge), HttpStatusCode.RequestEntityTooLarge,
            "PayloadTooLargeError: request entity too large");
        await AssertFailsAsync(await _http.GetAsync(new Uri(_server.HttpsUri, $"/rooms/{new string('r', 129)}")), HttpStatusCode.BadRequest,
            "TypeError: invalid roomId: 1 to 128 characters, none a control character or a slash");
        await AssertFailsAsync(await _http.DeleteAsync(new Uri(_server.HttpsUri, $"/rooms/{_roomId}/broadcasters/a%2Fb")), HttpStatusCode.BadRequest,
            "TypeError: invalid broadcasterId: 1 to 128 characters, none a control character or a slash");

        var state = await _http.GetAsync(new Uri(_server.HttpsUri, $"/rooms/{_roomId}/history"));
        Assert.DoesNotContain("BroadcasterCreated", await state.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Malformed_json_is_400_and_the_room_carries_on()
    {
        var response = await PostAsync($"/rooms/{_roomId}/broadcasters", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("SyntaxError: ", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(_server.HttpsUri, $"/rooms/{_roomId}"))).StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_malformed_or_has_no_fields_as_in_express()
    {
        await AssertFailsAsync(await PostAsync($"/rooms/{_roomId}/broadcasters/b/transports/t/plain/connect", "\"y4d\""),
            HttpStatusCode.BadRequest, "SyntaxError: Unexpected token \" in JSON at position 0");
        await AssertFailsAsync(await PostAsync($"/rooms/{_roomId}/broadcasters/b/transports/t/connect", " 2222"),
            HttpStatusCode.BadRequest, "SyntaxError: Unexpected token 2 in JSON at position 1");
        await AssertFailsAsync(await PostAsync($"/rooms/{_roomId}/broadcasters", "[1]"),
            HttpStatusCode.BadRequest, "TypeError: missing body.id");
    }

    [Fact]
    public async Task A_broadcaster_appears_to_peers_as_a_peer_and_leaves_like_one()
    {
        var created = await PostAsync($"/rooms/{_roomId}/broadcasters",
            """{"id":"bc1","displayName":"Broadcaster","device":{"name":"FFmpeg"},"rtpCapabilities":{"codecs":[],"headerExtensions":[]}}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var listed = Assert.Single(body["peers"]!.AsArray())!;
        Assert.Equal("alice", listed["id"]!.GetValue<string>());
        Assert.Empty(listed["producers"]!.AsArray());

        var newPeer = await _peer.NotificationAsync("newPeer");
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"id":"bc1","displayName":"Broadcaster","device":{"flag":"broadcaster","name":"FFmpeg"}}"""),
            newPeer["data"]));

        await AssertFailsAsync(await PostAsync($"/rooms/{_roomId}/broadcasters", """{"id":"bc1","displayName":"B","device":{"name":"x"}}"""),
            HttpStatusCode.InternalServerError, "Error: broadcaster with id \"bc1\" already exists");

        var (late, peers) = await ProtooTestClient.JoinAsync(_server, _roomId, "bob", "Bob");
        await using var _ = late;
        Assert.Contains(peers.AsArray(), p => p!["id"]!.GetValue<string>() == "bc1");

        var deleted = await _http.DeleteAsync(new Uri(_server.HttpsUri, $"/rooms/{_roomId}/broadcasters/bc1"));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("broadcaster deleted", await deleted.Content.ReadAsStringAsync());
        Assert.Equal("bc1", (await _peer.NotificationAsync("peerClosed"))["data"]!["peerId"]!.GetValue<string>());

        await AssertFailsAsync(await _http.DeleteAsync(new Uri(_server.HttpsUri, $"/rooms/{_roomId}/broadcasters/bc1")),
            HttpStatusCode.InternalServerError, "Error: broadcaster with id \"bc1\" does not exist");
    }

    [Fact]
    public async Task The_plain_http_listener_serves_the_same_api_and_the_seed_routes()
    {
        var created = await PostAsync(_server.HttpUri, $"/rooms/{_roomId}/broadcasters", """{"id":"bc2","displayName":"Native","device":{"name":"libmediasoupclient","version":"3"}}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"peers":[]}"""), JsonNode.Parse(await created.Content.ReadAsStringAsync())));

        foreach (var route in new[] { "chensong", "AllDataProducers" })
        {
            var directory = JsonNode.Parse(await _http.GetStringAsync(new Uri(_server.HttpUri, $"/rooms/{_roomId}/{route}")))!;
            var ids = directory["peers"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
            Assert.Equal(["alice", "bc2"], ids);
            Assert.Empty(directory["peers"]![0]!["dataProducers"]!.AsArray());
        }

        var deletedByGet = await _http.GetAsync(new Uri(_server.HttpUri, $"/rooms/{_roomId}/broadcasters/bc2"));
        Assert.Equal("broadcaster deleted", await deletedByGet.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Transport_routes_answer_the_documented_errors()
    {
        var b = $"/rooms/{_roomId}/broadcasters";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(b, """{"id":"plainbc","displayName":"P","device":{"name":"FFmpeg"}}""")).StatusCode);

        await AssertFailsAsync(await PostAsync($"{b}/ghost/transports", """{"type":"plain"}"""),
            HttpStatusCode.InternalServerError, "Error: broadcaster with id \"ghost\" does not exist");
        await AssertFailsAsync(await PostAsync($"{b}/plainbc/transports", """{"type":"carrier-pigeon"}"""),
            HttpStatusCode.BadRequest, "TypeError: invalid type");
        await AssertFailsAsync(await PostAsync($"{b}/plainbc/transports/t1/connect", """{"dtlsParameters":{}}"""),
            HttpStatusCode.InternalServerError, "Error: transport with id \"t1\" does not exist");
        await AssertFailsAsync(await PostAsync($"{b}/plainbc/transports/t1/consume", "{}"),
            HttpStatusCode.BadRequest, "TypeError: missing producerId");
        await AssertFailsAsync(await PostAsync($"{b}/plainbc/transports/t1/consume?producerId=p", "{}"),
            HttpStatusCode.InternalServerError, "Error: broadcaster does not have rtpCapabilities");
        await AssertFailsAsync(await PostAsync($"/rooms/{_roomId}/peerId/nobody/transports/t1/consume/data", """{"dataProducerId":"d"}"""),
            HttpStatusCode.InternalServerError, "Error: peer with id \"nobody\" does not exist");
    }
}
