using System.Text.Json.Nodes;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SfuHost.Replay;

namespace Host.Tests;

public sealed class RecoveryAndReplayTests
{
    private const string RoomId = "recovered-room";

    private static async Task<RoomState> RoomStateAsync(TestServer server)
    {
        var rooms = server.Services.GetRequiredService<ActorRegistry>().Get<RoomManagerActor>();
        return await rooms.Ask<RoomState>(new RoomRequest(RoomId, GetRoomState.Instance), ProtooTestClient.Timeout);
    }

    private static Task<(int ExitCode, string Output, string Error)> ReplayAsync(string dataDir, params string[] args) =>
        ReplayWithConfigAsync(dataDir, "", args);

    private static async Task<(int ExitCode, string Output, string Error)> ReplayWithConfigAsync(string dataDir, string journalConfig, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await ReplayCommand.RunAsync(["--room", RoomId, .. args], output, error, $"server.data-dir = \"{dataDir}\"\n{journalConfig}");
        return (exitCode, output.ToString(), error.ToString());
    }

    private static async Task WaitUntilClosedAsync(TestServer server)
    {
        using var http = TestServer.CreateHttpClient();
        var deadline = DateTime.UtcNow + ProtooTestClient.Timeout;
        while ((await http.GetAsync(new Uri(server.HttpsUri, $"/rooms/{RoomId}"))).StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, "room did not close");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_room_survives_a_restart_of_the_server_and_its_history_replays()
    {
        var dataDir = TestServer.NewDataDir();

        await using (var first = await TestServer.StartAsync(dataDir))
        {
            var (alice, _) = await ProtooTestClient.JoinAsync(first, RoomId, "alice", "Alice");
            var (bob, _) = await ProtooTestClient.JoinAsync(first, RoomId, "bob", "Bob");
            await bob.RequestOkAsync("changeDisplayName", new JsonObject { ["displayName"] = "Robert" });
            await first.DisposeAsync();
            await alice.Closed.WaitAsync(ProtooTestClient.Timeout);
            Assert.Equal(1001, (int)alice.CloseStatus!.Value);
            await alice.DisposeAsync();
            await bob.DisposeAsync();
        }

        await using (var second = await TestServer.StartAsync(dataDir))
        {
            var (carol, peers) = await ProtooTestClient.JoinAsync(second, RoomId, "carol", "Carol");
            Assert.Empty(peers.AsArray());

            var state = await RoomStateAsync(second);
            Assert.True(state.Open);
            Assert.Equal(["alice", "bob", "carol"], state.Peers.Select(p => p.Id));
            Assert.Equal("Robert", state.FindPeer("bob")!.DisplayName);
            Assert.Equal("Chrome", state.FindPeer("alice")!.Device!.Value.GetProperty("name").GetString());
            Assert.All(state.Peers, p => Assert.True(p.Joined));

            var (alice, _) = await ProtooTestClient.JoinAsync(second, RoomId, "alice", "Alice back");
            state = await RoomStateAsync(second);
            Assert.Equal(["bob", "carol", "alice"], state.Peers.Select(p => p.Id));
            Assert.Equal("Alice back", state.FindPeer("alice")!.DisplayName);

            await alice.DisposeAsync();
            await carol.DisposeAsync();
            await WaitUntilClosedAsync(second);
        }

        var (exitCode, text, error) = await ReplayAsync(dataDir);
        Assert.True(exitCode == 0, error);
        var types = text.Split('\n').Where(l => l.StartsWith('#')).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(
            ["RoomCreated", "PeerConnected", "PeerJoined", "PeerConnected", "PeerJoined", "DisplayNameChanged",
             "RoomRecovered", "PeerConnected", "PeerJoined", "PeerRejoined", "PeerJoined",
             "PeerLeft", "PeerLeft", "RoomClosed"],
            types);
        Assert.Contains("peer bob \"Robert\" joined device=Chrome", text);
    }

    [Fact]
    public async Task Replay_stops_at_a_sequence_number_and_speaks_json_for_tools()
    {
        var dataDir = TestServer.NewDataDir();
        await using (var server = await TestServer.StartAsync(dataDir))
        {
            var (alice, _) = await ProtooTestClient.JoinAsync(server, RoomId, "alice", "Alice");
            await alice.RequestOkAsync("changeDisplayName", new JsonObject { ["displayName"] = "Al" });
            await alice.DisposeAsync();
            await WaitUntilClosedAsync(server);
        }

        var (exitCode, json, _) = await ReplayAsync(dataDir, "--to", "3", "--json");
        Assert.Equal(0, exitCode);
        var lines = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([1L, 2L, 3L], lines.Select(l => l["sequenceNr"]!.GetValue<long>()));
        Assert.Equal(["RoomCreated", "PeerConnected", "PeerJoined"], lines.Select(l => l["type"]!.GetValue<string>()));
        var peer = Assert.Single(lines[2]["state"]!["peers"]!.AsArray())!;
        Assert.Equal("Alice", peer["displayName"]!.GetValue<string>());
        Assert.True(peer["joined"]!.GetValue<bool>());
        Assert.Equal("alice", lines[2]["event"]!["peerId"]!.GetValue<string>());

        var (unknownExit, _, error) = await ReplayAsync(TestServer.NewDataDir());
        Assert.Equal(1, unknownExit);
        Assert.Contains("no events for room", error);
    }

    [Fact]
    public Task The_http_history_shows_the_restart_gap_the_rejoin_and_the_timeout_and_replay_goes_to_a_time() =>
        RestartRejoinAndHistoryAsync(journalConfig: "");

    [Fact]
    public async Task The_same_with_the_postgresql_journal()
    {
        var database = await TestPostgres.NewDatabaseAsync();
        await RestartRejoinAndHistoryAsync(TestPostgres.JournalConfig(database));
        await TestPostgres.DropDatabaseAsync(database);
    }

    private static async Task RestartRejoinAndHistoryAsync(string journalConfig)
    {
        var dataDir = TestServer.NewDataDir();
        var grace = "server.room.rejoin-grace-period = 2s\n" + journalConfig;
        await using (var first = await TestServer.StartAsync(dataDir, grace))
        {
            var (alice, _) = await ProtooTestClient.JoinAsync(first, RoomId, "alice", "Alice");
            var (bob, _) = await ProtooTestClient.JoinAsync(first, RoomId, "bob", "Bob");
            await first.DisposeAsync();
            await alice.DisposeAsync();
            await bob.DisposeAsync();
        }
        var beforeRestart = DateTimeOffset.UtcNow;

        await using var second = await TestServer.StartAsync(dataDir, grace);
        var (aliceAgain, peers) = await ProtooTestClient.JoinAsync(second, RoomId, "alice", "Alice");
        Assert.Empty(peers.AsArray());
        var closed = (await aliceAgain.NotificationAsync("peerClosed"))["data"]!;
        Assert.Equal("bob", closed["peerId"]!.GetValue<string>());

        using var http = TestServer.CreateHttpClient();
        foreach (var listener in new[] { second.HttpsUri, second.HttpUri })
        {
            var response = await http.GetAsync(new Uri(listener, $"/rooms/{RoomId}/history"));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var history = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var events = history["events"]!.AsArray().Select(e => e!).ToList();
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e["sequenceNr"]!.GetValue<long>()));
            Assert.Equal(
                ["RoomCreated", "PeerConnected", "PeerJoined", "PeerConnected", "PeerJoined",
                 "RoomRecovered", "PeerRejoined", "PeerJoined", "PeerLeft"],
                events.Select(e => e["type"]!.GetValue<string>()));
            var recovered = events[5];
            Assert.Equal("RoomRecovered.v1", recovered["manifest"]!.GetValue<string>());
            Assert.Equal("server restarted", recovered["event"]!["cause"]!.GetValue<string>());
            Assert.True(recovered["event"]!["lastEventAt"]!.GetValue<DateTimeOffset>() < beforeRestart);
            Assert.True(recovered["timestamp"]!.GetValue<DateTimeOffset>() > beforeRestart);
            Assert.Equal(["alice", "bob"], recovered["event"]!["awaitingPeers"]!.AsArray().Select(p => p!.GetValue<string>()).Order());
            Assert.Equal("alice", events[6]["event"]!["peerId"]!.GetValue<string>());
            Assert.Equal("bob", events[8]["event"]!["peerId"]!.GetValue<string>());
            Assert.Equal("rejoin-timeout", events[8]["event"]!["reason"]!.GetValue<string>());
        }

        var unknown = await http.GetAsync(new Uri(second.HttpUri, "/rooms/no-such-room/history"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Error: room with id \"no-such-room\" not found", await unknown.Content.ReadAsStringAsync());

        // The room as it was just before the restart: both peers joined.
        var (exitCode, json, error) = await ReplayWithConfigAsync(dataDir, journalConfig, "--at", beforeRestart.ToString("o"), "--json");
        Assert.True(exitCode == 0, error);
        var last = JsonNode.Parse(json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last())!;
        Assert.Equal(5, last["sequenceNr"]!.GetValue<long>());
        Assert.Equal(["alice", "bob"], last["state"]!["peers"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
    }
}
