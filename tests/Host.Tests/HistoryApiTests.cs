using System.Net;
using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>GET /rooms/:roomId/history: paged, streamed, the state once for the page's end, addresses for operators only.</summary>
public sealed class HistoryApiTests
{
    [Fact]
    public async Task Pages_follow_each_other_through_next_and_the_state_comes_once_for_the_last_event()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinAndRenameAsync(server, "h1");
        using var http = TestServer.CreateHttpClient();

        var first = await GetAsync(http, server, "/rooms/h1/history?limit=2&state=true");
        Assert.Equal([1L, 2L], Sequence(first));
        Assert.Equal(3, first["next"]!.GetValue<long>());
        Assert.All(first["events"]!.AsArray(), e => Assert.Null(e!["state"]));
        var peer = Assert.Single(first["state"]!["peers"]!.AsArray())!;
        Assert.Equal(("alice", "127.0.0.1"), (peer["id"]!.GetValue<string>(), peer["remoteAddress"]!.GetValue<string>()));
        Assert.False(peer["joined"]!.GetValue<bool>());

        var all = new List<long>(Sequence(first));
        var next = first["next"]!.GetValue<long>();
        while (true)
        {
            var page = await GetAsync(http, server, $"/rooms/h1/history?from={next}&limit=2");
            all.AddRange(Sequence(page));
            if (page["next"] is null)
                break;
            next = page["next"]!.GetValue<long>();
        }
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all);
        Assert.True(all.Count >= 5);

        var past = await GetAsync(http, server, $"/rooms/h1/history?from={all.Count + 10}");
        Assert.Empty(past["events"]!.AsArray());
        Assert.Null(past["next"]);
    }

    [Fact]
    public async Task A_limit_out_of_range_is_400_and_an_unknown_room_404()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.client-limits.history-page-max = 10");
        await using var alice = await JoinAndRenameAsync(server, "h2");
        using var http = TestServer.CreateHttpClient();

        foreach (var query in new[] { "limit=0", "limit=11", "from=-1", "to=x" })
        {
            var response = await http.GetAsync(new Uri(server.HttpUri, $"/rooms/h2/history?{query}"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("TypeError: from and to must be sequence numbers, limit a number from 1 to 10", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(server.HttpUri, "/rooms/nothing/history"))).StatusCode);
        Assert.True(Sequence(await GetAsync(http, server, "/rooms/h2/history")).Count <= 10);
    }

    [Fact]
    public async Task Remote_addresses_are_redacted_for_whoever_is_not_an_operator()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.auth.operator-routes-on-loopback = off");
        await using var alice = await JoinAndRenameAsync(server, "h3");
        using var http = TestServer.CreateHttpClient();

        var history = await GetAsync(http, server, "/rooms/h3/history?state=true");

        var connected = history["events"]!.AsArray().First(e => e!["type"]!.GetValue<string>() == "PeerConnected")!;
        Assert.Equal("(redacted)", connected["event"]!["remoteAddress"]!.GetValue<string>());
        Assert.DoesNotContain("127.0.0.1", history.ToJsonString());
    }

    private static async Task<ProtooTestClient> JoinAndRenameAsync(TestServer server, string roomId)
    {
        var (alice, _) = await ProtooTestClient.JoinAsync(server, roomId, "alice", "Alice");
        foreach (var name in new[] { "A1", "A2", "A3" })
            await alice.RequestOkAsync("changeDisplayName", new JsonObject { ["displayName"] = name });
        return alice;
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, TestServer server, string path)
    {
        var response = await http.GetAsync(new Uri(server.HttpUri, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static List<long> Sequence(JsonNode page) =>
        page["events"]!.AsArray().Select(e => e!["sequenceNr"]!.GetValue<long>()).ToList();
}
