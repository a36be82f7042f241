using System.Net;
using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>
/// Server processes as one cluster on loopback, sharing a PostgreSQL journal. Alone on the machine
/// (no other test runs meanwhile): the failure detector and the recovery time are what they measure.
/// </summary>
[Collection(nameof(ClusterTests))]
public sealed class ClusterTests
{
    [Fact]
    public async Task Peers_connected_to_different_nodes_meet_in_one_room_hosted_on_one_of_them()
    {
        await using var cluster = await ClusterNodes.StartAsync(2);
        var (nodeA, nodeB) = (cluster[0], cluster[1]);
        var (seedPort, otherPort) = (cluster.ClusterPort(0), cluster.ClusterPort(1));
        using var http = TestServer.CreateHttpClient();
        await cluster.UntilReadyAsync(http);
        foreach (var node in new[] { nodeA, nodeB })
        {
            // Ready once it has joined (the cluster's readiness check follows the membership events a moment later).
            await cluster.UntilAsync(async () => (await http.GetAsync(new Uri(node.HttpUri, "/health/ready"))).IsSuccessStatusCode, "node ready");
            var ready = JsonNode.Parse(await http.GetStringAsync(new Uri(node.HttpUri, "/health/ready")))!;
            Assert.Equal("Healthy", ready["status"]!.GetValue<string>());
            Assert.Equal(3, ready["checks"]!.AsObject().Count);
        }

        Assert.Contains($"INF 127.0.0.1:{otherPort}] ", nodeB.Output);
        await using var alice = await ProtooTestClient.ConnectAsync(nodeA.HttpsUri, "cluster-room", "alice");
        await alice.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice" });
        await using var bob = await ProtooTestClient.ConnectAsync(nodeB.HttpsUri, "cluster-room", "bob");
        var bobJoined = await bob.RequestOkAsync("join", new JsonObject { ["displayName"] = "Bob" });

        Assert.Equal(["alice"], bobJoined!["peers"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal("bob", (await alice.NotificationAsync("newPeer"))["data"]!["id"]!.GetValue<string>());
        await bob.RequestOkAsync("changeDisplayName", new JsonObject { ["displayName"] = "Robert" });
        Assert.Equal("Robert", (await alice.NotificationAsync("peerDisplayNameChanged"))["data"]!["displayName"]!.GetValue<string>());

        // One room with two peers, on one node, whichever node is asked.
        foreach (var node in new[] { nodeA, nodeB })
        {
            var members = ClusterNodes.Members(await ClusterNodes.ViewAsync(http, node));
            Assert.Equal([0, 1], members.Select(m => m["rooms"]!.GetValue<int>()).Order());
            Assert.Equal([0, 2], members.Select(m => m["peers"]!.GetValue<int>()).Order());
        }

        // The HTTP API through the node that does not host the room.
        var hostsRoom = ClusterNodes.Members(await ClusterNodes.ViewAsync(http, nodeA)).Single(m => m["rooms"]?.GetValue<int>() == 1)["address"]!.GetValue<string>();
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

    [Fact]
    public async Task After_kill_9_of_the_rooms_node_the_room_comes_back_on_another_and_its_peers_rejoin_it()
    {
        await using var nodes = await ClusterNodes.StartAsync(3, "server.room.rejoin-grace-period = 20s");
        using var http = TestServer.CreateHttpClient();
        await nodes.UntilReadyAsync(http);
        // A room that node 2 hosts, with its peers on nodes 0 and 1.
        var roomId = await nodes.RoomHostedByAsync(http, host: 2, prefix: "kill-room");
        await using var alice = await ProtooTestClient.ConnectAsync(nodes[0].HttpsUri, roomId, "alice");
        await alice.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice" });
        await using var bob = await ProtooTestClient.ConnectAsync(nodes[1].HttpsUri, roomId, "bob");
        await bob.RequestOkAsync("join", new JsonObject { ["displayName"] = "Bob" });
        await alice.NotificationAsync("newPeer");
        Assert.Contains(roomId, await ClusterNodes.HostedRoomsAsync(http, nodes[2]));

        var killed = System.Diagnostics.Stopwatch.StartNew();
        await nodes[2].KillHardAsync();
        // The room's node is downed and removed: its sessions on the survivors close (1001), as for a restarted room.
        await Task.WhenAll(alice.Closed, bob.Closed).WaitAsync(TimeSpan.FromSeconds(20));
        var closed = killed.Elapsed;
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, alice.CloseStatus);
        // The room starts again on a survivor by itself (its shard remembers it), before anyone reconnects.
        await nodes.UntilAsync(async () =>
        {
            foreach (var survivor in new[] { nodes[0], nodes[1] })
            {
                if ((await ClusterNodes.HostedRoomsAsync(http, survivor)).Contains(roomId))
                    return true;
            }
            return false;
        }, "the room recovered on a surviving node without a client");
        var recovered = killed.Elapsed;
        await using var aliceBack = await ProtooTestClient.ConnectAsync(nodes[0].HttpsUri, roomId, "alice");
        await aliceBack.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice" });
        await using var bobBack = await ProtooTestClient.ConnectAsync(nodes[1].HttpsUri, roomId, "bob");
        var bobJoined = await bobBack.RequestOkAsync("join", new JsonObject { ["displayName"] = "Bob" });
        var rejoined = killed.Elapsed;
        Console.WriteLine($"cluster kill -9: sessions closed after {closed.TotalMilliseconds:F0} ms, room running again on a survivor after {recovered.TotalMilliseconds:F0} ms, both peers rejoined after {rejoined.TotalMilliseconds:F0} ms");
        Assert.Equal(["alice"], bobJoined!["peers"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        // The target (10 s, media with Chromium) is measured by bench/ClusterFailover; here the peers wait for the
        // room to come back by itself first (about 12 s), and this only catches a regression.
        Assert.True(rejoined < TimeSpan.FromSeconds(20), $"peers back in the room {rejoined.TotalSeconds:F1} s after the kill");

        var events = JsonNode.Parse(await http.GetStringAsync(new Uri(nodes[0].HttpUri, $"/rooms/{roomId}/history")))!["events"]!.AsArray()
            .Select(e => e!["type"]!.GetValue<string>()).ToList();
        // The probe's visit, then the call, the recovery on another node and the peers back.
        Assert.Equal(["RoomCreated", "PeerConnected", "PeerLeft", "RoomClosed",
            "RoomCreated", "PeerConnected", "PeerJoined", "PeerConnected", "PeerJoined", "RoomRecovered", "PeerRejoined", "PeerJoined", "PeerRejoined", "PeerJoined"],
            events);
    }

    [Fact]
    public async Task A_node_stopped_with_SIGTERM_hands_its_room_off_and_the_peers_rejoin_it_on_the_other_node()
    {
        await using var nodes = await ClusterNodes.StartAsync(2, "server.room.rejoin-grace-period = 20s");
        using var http = TestServer.CreateHttpClient();
        await nodes.UntilReadyAsync(http);
        // A room that node 1 hosts, with its peers on node 0.
        var roomId = await nodes.RoomHostedByAsync(http, host: 1, prefix: "handoff-room");
        await using var alice = await ProtooTestClient.ConnectAsync(nodes[0].HttpsUri, roomId, "alice");
        await alice.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice" });
        await using var bob = await ProtooTestClient.ConnectAsync(nodes[0].HttpsUri, roomId, "bob");
        await bob.RequestOkAsync("join", new JsonObject { ["displayName"] = "Bob" });
        Assert.Contains(roomId, await ClusterNodes.HostedRoomsAsync(http, nodes[1]));

        await nodes[1].TerminateAsync();
        await Task.WhenAll(alice.Closed, bob.Closed).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, alice.CloseStatus);
        await using var aliceBack = await ProtooTestClient.ConnectAsync(nodes[0].HttpsUri, roomId, "alice");
        await aliceBack.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice" });
        await using var bobBack = await ProtooTestClient.ConnectAsync(nodes[0].HttpsUri, roomId, "bob");
        var bobJoined = await bobBack.RequestOkAsync("join", new JsonObject { ["displayName"] = "Bob" });
        Assert.Equal(["alice"], bobJoined!["peers"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Contains(roomId, await ClusterNodes.HostedRoomsAsync(http, nodes[0]));

        // Nobody left the room: the hand-off is a recovery, not departures.
        var events = JsonNode.Parse(await http.GetStringAsync(new Uri(nodes[0].HttpUri, $"/rooms/{roomId}/history")))!["events"]!.AsArray()
            .Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["RoomCreated", "PeerConnected", "PeerLeft", "RoomClosed",
            "RoomCreated", "PeerConnected", "PeerJoined", "PeerConnected", "PeerJoined", "RoomRecovered", "PeerRejoined", "PeerJoined", "PeerRejoined", "PeerJoined"],
            events);
    }
}

[CollectionDefinition(nameof(ClusterTests), DisableParallelization = true)]
public sealed class ClusterTestsCollection;
