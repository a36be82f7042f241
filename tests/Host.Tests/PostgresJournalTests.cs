using System.Text.Json.Nodes;
using SfuHost.Replay;

namespace Host.Tests;

/// <summary>The production journal: kill -9 of the server process, recovery and history from PostgreSQL.</summary>
public sealed class PostgresJournalTests
{
    [Fact]
    public async Task After_kill_9_rooms_recover_from_postgresql_members_rejoin_and_the_history_shows_it()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync();
        var environment = new Dictionary<string, string>
        {
            ["SFU_JOURNAL_PROVIDER"] = "postgresql",
            ["SFU_JOURNAL_CONNECTION_STRING"] = connectionString,
        };
        var dataDir = TestServer.NewDataDir();
        var configDir = HostProcess.ConfigDirectory("server.room.rejoin-grace-period = 3s");
        var ports = HostPorts.Free();
        const string roomId = "pg-room";

        var host = await HostProcess.StartAsync(dataDir, configDir, ports, environment);
        try
        {
            Assert.Contains("journal: postgresql", host.Output);
            Assert.DoesNotContain("Password=sfu_test", host.Output);
            await using var alice = await ProtooTestClient.ConnectAsync(host.HttpsUri, roomId, "alice");
            await alice.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice" });
            await using var bob = await ProtooTestClient.ConnectAsync(host.HttpsUri, roomId, "bob");
            await bob.RequestOkAsync("join", new JsonObject { ["displayName"] = "Bob" });
            await alice.NotificationAsync("newPeer");
            {
                var killedAt = DateTimeOffset.UtcNow;
                await host.KillHardAsync();
                await alice.Closed.WaitAsync(ProtooTestClient.Timeout);

                await host.DisposeAsync();
                host = await HostProcess.StartAsync(dataDir, configDir, ports, environment);
                await using var aliceBack = await ProtooTestClient.ConnectAsync(host.HttpsUri, roomId, "alice");
                var joined = await aliceBack.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice" });
                Assert.Empty(joined!["peers"]!.AsArray());
                Assert.Equal("bob", (await aliceBack.NotificationAsync("peerClosed"))["data"]!["peerId"]!.GetValue<string>());

                using var http = TestServer.CreateHttpClient();
                var events = JsonNode.Parse(await http.GetStringAsync(new Uri(host.HttpUri, $"/rooms/{roomId}/history")))!["events"]!.AsArray()
                    .Select(e => e!).ToList();
                Assert.Equal(
                    ["RoomCreated", "PeerConnected", "PeerJoined", "PeerConnected", "PeerJoined", "RoomRecovered", "PeerRejoined", "PeerJoined", "PeerLeft"],
                    events.Select(e => e["type"]!.GetValue<string>()));
                var recovered = events.Single(e => e["type"]!.GetValue<string>() == "RoomRecovered");
                Assert.Equal("server restarted", recovered["event"]!["cause"]!.GetValue<string>());
                Assert.True(recovered["event"]!["lastEventAt"]!.GetValue<DateTimeOffset>() <= killedAt);
                Assert.Equal("rejoin-timeout", events.Last()["event"]!["reason"]!.GetValue<string>());
            }
        }
        finally
        {
            await host.DisposeAsync();
        }

        var replay = new StringWriter();
        var error = new StringWriter();
        var exitCode = await ReplayCommand.RunAsync(["--room", roomId], replay, error, TestPostgres.JournalConfig(connectionString));
        Assert.True(exitCode == 0, error.ToString());
        Assert.Contains(" RoomRecovered ", replay.ToString());
        Assert.Contains("peer alice \"Alice\" joined device=", replay.ToString());
        await TestPostgres.DropDatabaseAsync(connectionString);
    }
}
