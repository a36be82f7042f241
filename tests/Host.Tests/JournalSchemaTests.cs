using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SfuHost.Replay;

namespace Host.Tests;

/// <summary>
/// Fixtures/journal-v1.db was written by the server before PeerLeft became v2 (a room "v1-room":
/// alice, bob and carol joined; bob disconnected; carol's transport failed, which v1 recorded as
/// the reason text; then a graceful stop with alice still in the room).
/// </summary>
public sealed class JournalSchemaTests
{
    private static string CopyOfV1Journal()
    {
        var dataDir = TestServer.NewDataDir();
        Directory.CreateDirectory(dataDir);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "journal-v1.db"), Path.Combine(dataDir, "sfu.db"));
        return dataDir;
    }

    [Fact]
    public async Task A_journal_written_by_the_previous_schema_replays_and_recovers_with_upcast_events()
    {
        var dataDir = CopyOfV1Journal();
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await ReplayCommand.RunAsync(["--room", "v1-room", "--json"], output, error, $"server.data-dir = \"{dataDir}\"");
        Assert.True(exitCode == 0, error.ToString());
        var left = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)
            .Where(l => l["type"]!.GetValue<string>() == "PeerLeft").Select(l => l["event"]!).ToList();
        Assert.Equal(["bob", "carol"], left.Select(e => e["peerId"]!.GetValue<string>()));
        Assert.Equal("disconnected", left[0]["reason"]!.GetValue<string>());
        Assert.Null(left[0]["detail"]);
        Assert.Equal("transport-closed", left[1]["reason"]!.GetValue<string>());
        Assert.Equal("transport 5b0f6a2e-3c1d-4f7e-9a51-2d8c7e4b1f03 icestatechange disconnected", left[1]["detail"]!.GetValue<string>());

        // The server starts on it, recovers the open room, and new events are written as v2 beside the v1 rows.
        await using (var server = await TestServer.StartAsync(dataDir, "server.room.rejoin-grace-period = 1s"))
        {
            using var http = TestServer.CreateHttpClient();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while ((await http.GetAsync(new Uri(server.HttpUri, "/rooms/v1-room"))).IsSuccessStatusCode || !await ClosedInJournalAsync(dataDir))
            {
                Assert.True(DateTime.UtcNow < deadline, "the recovered room did not close after its grace period");
                await Task.Delay(200);
            }
        }
        await using var journal = new SqliteConnection($"Data Source={Path.Combine(dataDir, "sfu.db")}");
        await journal.OpenAsync();
        await using var query = new SqliteCommand(
            "select manifest from journal where persistence_id = 'room-v1-room' and manifest like 'PeerLeft.%' order by sequence_number", journal);
        var manifests = new List<string>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                manifests.Add(reader.GetString(0));
        }
        Assert.Equal(["PeerLeft.v1", "PeerLeft.v1", "PeerLeft.v2"], manifests);
    }

    private static async Task<bool> ClosedInJournalAsync(string dataDir)
    {
        var output = new StringWriter();
        await ReplayCommand.RunAsync(["--room", "v1-room"], output, TextWriter.Null, $"server.data-dir = \"{dataDir}\"");
        return output.ToString().Contains(" RoomClosed ");
    }
}
