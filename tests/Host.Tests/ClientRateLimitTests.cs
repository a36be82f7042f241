using System.Net;
using System.Net.WebSockets;

namespace Host.Tests;

/// <summary>Rates and counts a client controls, against the real server: each refused with a clear answer, nothing dropped.</summary>
public sealed class ClientRateLimitTests
{
    [Fact]
    public async Task Requests_past_a_connections_rate_are_answered_with_429_and_the_rest_go_through()
    {
        await using var server = await TestServer.StartAsync(extraConfig: """
            server.client-limits { requests-per-second = 1, request-burst = 5 }
            """);
        await using var client = await ProtooTestClient.ConnectAsync(server, "r1", "alice");

        var answers = new List<System.Text.Json.Nodes.JsonObject>();
        for (var i = 0; i < 10; i++)
            answers.Add(await client.RequestAsync("getRouterRtpCapabilities"));

        var refused = answers.Where(a => !a["ok"]!.GetValue<bool>()).ToList();
        Assert.InRange(answers.Count(a => a["ok"]!.GetValue<bool>()), 5, 6);
        Assert.All(refused, a =>
        {
            Assert.Equal(429, a["errorCode"]!.GetValue<int>());
            Assert.Equal("too many requests (limit 1 per second, 5 at once)", a["errorReason"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task Connections_past_the_limit_per_address_are_refused_with_429_until_one_closes()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.client-limits.connections-per-address = 2");
        await using var first = await ProtooTestClient.ConnectAsync(server, "r1", "a");
        await using var second = await ProtooTestClient.ConnectAsync(server, "r2", "b");

        await AssertRefusedAsync(server, "r3", "c", HttpStatusCode.TooManyRequests);

        await first.CloseAsync();
        await AwaitAcceptedAsync(server, "r3", "c");
    }

    [Fact]
    public async Task A_full_room_refuses_one_more_peer_with_503_but_takes_a_returning_peer_id()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.room.max-peers = 2");
        await using var alice = await ProtooTestClient.ConnectAsync(server, "r1", "alice");
        await using var bob = await ProtooTestClient.ConnectAsync(server, "r1", "bob");

        await AssertRefusedAsync(server, "r1", "carol", HttpStatusCode.ServiceUnavailable);

        await using var bobAgain = await ProtooTestClient.ConnectAsync(server, "r1", "bob");
        await using var elsewhere = await ProtooTestClient.ConnectAsync(server, "r2", "carol");
    }

    [Fact]
    public async Task Past_the_room_limit_a_connection_to_a_new_room_is_refused_with_503()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.max-rooms = 1");
        await using var alice = await ProtooTestClient.ConnectAsync(server, "r1", "alice");

        await AssertRefusedAsync(server, "r2", "bob", HttpStatusCode.ServiceUnavailable);
        await using var bob = await ProtooTestClient.ConnectAsync(server, "r1", "bob");
    }

    [Fact]
    public async Task Http_requests_past_the_rate_per_address_are_answered_429()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.client-limits.http-requests-per-second = 3");
        using var http = TestServer.CreateHttpClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => http.GetAsync(new Uri(server.HttpUri, "/rooms/none"))));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.NotFound);
        Assert.Equal("Error: too many requests from this address (limit 3 per second)", await refused[0].Content.ReadAsStringAsync());

        // protoo connections are not HTTP requests here: connections-per-address limits them.
        var peers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => ProtooTestClient.ConnectAsync(server, "r1", $"p{i}")));
        foreach (var peer in peers)
            await peer.DisposeAsync();
    }

    private static async Task AssertRefusedAsync(TestServer server, string roomId, string peerId, HttpStatusCode status)
    {
        using var socket = ProtooTestClient.CreateSocket("protoo");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.WebSocketUri(roomId, peerId), CancellationToken.None));
        Assert.Equal(status, socket.HttpStatusCode);
    }

    private static async Task AwaitAcceptedAsync(TestServer server, string roomId, string peerId)
    {
        var deadline = DateTime.UtcNow + ProtooTestClient.Timeout;
        while (true)
        {
            try
            {
                await using var accepted = await ProtooTestClient.ConnectAsync(server, roomId, peerId);
                return;
            }
            catch (WebSocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
