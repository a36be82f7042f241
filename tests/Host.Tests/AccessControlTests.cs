using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Actors.Peers;
using Signaling;

namespace Host.Tests;

/// <summary>A server with server.auth.key: who may connect, produce and call the HTTP API.</summary>
public sealed class AccessControlTests : IAsyncLifetime
{
    private const string Key = "a key of at least thirty-two bytes, for tests";
    private readonly AccessTokens _tokens = new(Key);
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(extraConfig: $$"""server.auth { key = "{{Key}}", operator-routes-on-loopback = off }""");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("not-a-token", HttpStatusCode.Unauthorized)]
    [InlineData("other-room", HttpStatusCode.Forbidden)]
    [InlineData("other-peer", HttpStatusCode.Forbidden)]
    [InlineData("no-join", HttpStatusCode.Forbidden)]
    public async Task A_connection_without_a_token_for_its_room_and_peer_is_refused(string? which, HttpStatusCode expected)
    {
        var token = which switch
        {
            null => null,
            "other-room" => Token("r2", "alice", Permission.Member),
            "other-peer" => Token("r1", "bob", Permission.Member),
            "no-join" => Token("r1", "alice", new HashSet<string> { Permission.Consume }),
            _ => which,
        };
        using var socket = ProtooTestClient.CreateSocket("protoo");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(Url("r1", "alice", token), CancellationToken.None));
        Assert.Equal(expected, socket.HttpStatusCode);
    }

    [Fact]
    public async Task A_member_joins_with_its_token_and_may_only_do_what_it_allows()
    {
        await using var viewer = await ConnectAsync("r1", "viewer", new HashSet<string> { Permission.Join, Permission.Consume });
        await viewer.RequestOkAsync("join", new JsonObject { ["displayName"] = "Viewer", ["device"] = new JsonObject { ["name"] = "test" } });

        var produce = await viewer.RequestAsync("produce", new JsonObject
        {
            ["transportId"] = "t1",
            ["kind"] = "audio",
            ["rtpParameters"] = new JsonObject { ["codecs"] = new JsonArray() },
        });
        Assert.Equal((403, "not allowed to produce"), (produce["errorCode"]!.GetValue<int>(), produce["errorReason"]!.GetValue<string>()));
        var data = await viewer.RequestAsync("produceData", new JsonObject
        {
            ["transportId"] = "t1",
            ["sctpStreamParameters"] = new JsonObject { ["streamId"] = 1 },
            ["label"] = "chat",
        });
        Assert.Equal((403, "not allowed to produce data"), (data["errorCode"]!.GetValue<int>(), data["errorReason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_http_api_of_a_room_needs_a_token_for_that_room_and_operator_routes_an_admin_one()
    {
        await using var alice = await ConnectAsync("r1", "alice", Permission.Member);
        using var http = TestServer.CreateHttpClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(http, "/rooms/r1", bearer: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(http, "/rooms/r1", Token("r2", null, Permission.Member))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/rooms/r1", Token("r1", null, Permission.Member))).StatusCode);

        var refused = await Get(http, "/metrics", Token("r1", null, Permission.Member));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Error: an admin access token is required", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(http, "/rooms/r1/history", Token("r1", null, Permission.Member))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/metrics", Token(AccessGrant.AnyRoom, null, new HashSet<string> { Permission.Admin }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/", bearer: null)).StatusCode);
    }

    [Fact]
    public async Task On_a_loopback_connection_operator_routes_are_open_when_so_configured()
    {
        await using var server = await TestServer.StartAsync(extraConfig: $$"""server.auth.key = "{{Key}}" """);
        using var http = TestServer.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(server.HttpUri, "/metrics"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(server.HttpUri, "/rooms/r1"))).StatusCode);
    }

    private string Token(string room, string? peer, IReadOnlySet<string> permissions) =>
        _tokens.Mint(new AccessGrant(room, peer, permissions), TimeSpan.FromMinutes(10));

    private Uri Url(string roomId, string peerId, string? token) =>
        new($"{_server.WebSocketUri(roomId, peerId)}{(token is null ? "" : $"&token={Uri.EscapeDataString(token)}")}");

    private Task<ProtooTestClient> ConnectAsync(string roomId, string peerId, IReadOnlySet<string> permissions) =>
        ProtooTestClient.ConnectUrlAsync(Url(roomId, peerId, Token(roomId, peerId, permissions)));

    private Task<HttpResponseMessage> Get(HttpClient http, string path, string? bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.HttpUri, path));
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http.SendAsync(request);
    }
}
