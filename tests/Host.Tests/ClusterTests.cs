using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>Two server processes as one cluster on loopback, sharing a PostgreSQL journal.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task Peers_connected_to_different_nodes_meet_in_one_room_hosted_on_one_of_them()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync();
        var (seedPort, otherPort) = (FreeTcpPort(), FreeTcpPort());
        var seed = $"127.0.0.1:{seedPort}";
        Dictionary<string, string> Node(int port) => new()
        {
            ["SFU_JOURNAL_PROVIDER"] = "postgresql",
            ["SFU_JOURNAL_CONNECTION_STRING"] = connectionString,
            ["SFU_CLUSTER"] = "on",
            ["SFU_CLUSTER_HOST"] = "127.0.0.1",
            ["SFU_CLUSTER_PORT"] = port.ToString(),
            ["SFU_CLUSTER_SEEDS"] = seed,
        };
        var configDir = HostProcess.ConfigDirectory("");
        await using var nodeA = await HostProcess.StartAsync(TestServer.NewDataDir(), configDir, HostPorts.Free(), Node(seedPort));
        await using var nodeB = await HostProcess.StartAsync(TestServer.NewDataDir(), configDir, HostPorts.Free(), Node(otherPort));
        using var http = TestServer.CreateHttpClient();
        await UntilAsync(async () => Members(await ClusterAsync(http, nodeA)).Count(m => m["status"]!.GetValue<string>() == "Up") == 2,
            "both nodes Up", nodeA, nodeB);

        await using var alice = await ProtooTestClient.ConnectAsync(nodeA.HttpsUri, "cluster-room", "alice");
        await alice.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice" });
        await using var bob = await ProtooTestClient.ConnectAsync(nodeB.HttpsUri, "cluster-room", "bob");
        var bobJoined = await bob.RequestOkAsync("join", new JsonObject { ["displayName"] = "Bob" });

        Assert.Equal(["alice"], bobJoined!["peers"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal("bob", (await alice.NotificationAsync("newPeer"))["data"]!["id"]!.GetValue<string>());
        await bob.RequestOkAsync("changeDisplayName", new JsonObject { ["displayName"] = "Robert" });
        Assert.Equal("Robert", (await alice.NotificationAsync("peerDisplayNameChanged"))["data"]!["displayName"]!.GetValue<string>());

        // One room, on one node, whichever node is asked.
        foreach (var node in new[] { nodeA, nodeB })
        {
            var members = Members(await ClusterAsync(http, node));
            Assert.Equal([0, 1], members.Select(m => m["rooms"]!.GetValue<int>()).Order());
        }

        // The HTTP API through the node that does not host the room.
        var hostsRoom = Members(await ClusterAsync(http, nodeA)).Single(m => m["rooms"]!.GetValue<int>() == 1)["address"]!.GetValue<string>();
        var other = hostsRoom.EndsWith($":{seedPort}") ? nodeB : nodeA;
        var created = await http.PostAsync(new Uri(other.HttpUri, "/rooms/cluster-room/broadcasters"),
            new StringContent("""{"id":"ffmpeg","displayName":"FFmpeg","device":{"name":"FFmpeg"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Empty(JsonNode.Parse(await created.Content.ReadAsStringAsync())!["peers"]!.AsArray());
        Assert.Equal("ffmpeg", (await alice.NotificationAsync("newPeer"))["data"]!["id"]!.GetValue<string>());
        var unknown = await http.GetAsync(new Uri(other.HttpUri, "/rooms/no-such-room"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("room with id \"no-such-room\" not found", await unknown.Content.ReadAsStringAsync());

        var history = JsonNode.Parse(await http.GetStringAsync(new Uri(other.HttpUri, "/rooms/cluster-room/history")))!["events"]!.AsArray();
        Assert.Equal(["RoomCreated", "PeerConnected", "PeerJoined", "PeerConnected", "PeerJoined", "DisplayNameChanged", "BroadcasterCreated"],
            history.Select(e => e!["type"]!.GetValue<string>()));
    }

    private static async Task<JsonNode> ClusterAsync(HttpClient http, HostProcess node) =>
        JsonNode.Parse(await http.GetStringAsync(new Uri(node.HttpUri, "/cluster")))!;

    private static List<JsonNode> Members(JsonNode cluster) => [.. cluster["members"]!.AsArray().Select(m => m!)];

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, params HostProcess[] nodes)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within 30 s: {what}\n{string.Join("\n----\n", nodes.Select(n => n.Output))}");
            await Task.Delay(200);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
