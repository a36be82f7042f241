using System.Diagnostics;
using System.Text.RegularExpressions;
using SfuHost.Replay;

namespace Host.Tests;

/// <summary>The server as an operator runs it: its own process, stopped with SIGTERM.</summary>
public sealed class ProcessLifecycleTests
{
    /// <summary>Issue 14: a graceful stop with 200 peers in 10 rooms finishes within its timeout (10 s) and journals no departures.</summary>
    [Fact]
    public async Task Sigterm_with_200_peers_connected_shuts_down_in_time_and_keeps_the_rooms_for_the_next_start()
    {
        var dataDir = TestServer.NewDataDir();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "SfuHost.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["SFU_DATA_DIR"] = dataDir;
        start.Environment["PROTOO_LISTEN_IP"] = "127.0.0.1";
        start.Environment["PROTOO_LISTEN_PORT"] = "0";
        start.Environment["HTTP_LISTEN_IP"] = "127.0.0.1";
        start.Environment["HTTP_LISTEN_PORT"] = "0";
        start.Environment["SFU_CONNECTIONS_PER_ADDRESS"] = "0";

        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<int>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            var match = Regex.Match(e.Data, @"SFU listening: https://127\.0\.0\.1:(\d+)/");
            if (match.Success) listening.TrySetResult(int.Parse(match.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var server = new Uri($"https://127.0.0.1:{port}/");
            var peers = new List<ProtooTestClient>();
            foreach (var batch in Enumerable.Range(0, 200).Chunk(20))
                peers.AddRange(await Task.WhenAll(batch.Select(async i =>
                {
                    var peer = await ProtooTestClient.ConnectAsync(server, $"sigterm-room-{i % 10}", $"peer-{i}");
                    await peer.RequestOkAsync("join", new System.Text.Json.Nodes.JsonObject { ["displayName"] = $"Peer {i}" });
                    return peer;
                })));

            var stopping = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
                await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var stopped = stopping.Elapsed;
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{string.Join('\n', output)}");
            Assert.True(stopped < TimeSpan.FromSeconds(10), $"stopping took {stopped}:\n{string.Join('\n', output.TakeLast(40))}");
            Assert.DoesNotContain(output, line => line.Contains("did not stop in time"));
            foreach (var peer in peers)
            {
                await peer.Closed.WaitAsync(ProtooTestClient.Timeout);
                Assert.Equal(1001, (int)peer.CloseStatus!.Value);
                await peer.DisposeAsync();
            }
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        // The shutdown is not journaled as everyone leaving: each room's last event is still a join.
        for (var room = 0; room < 10; room++)
        {
            var replay = new StringWriter();
            var exitCode = await ReplayCommand.RunAsync(["--room", $"sigterm-room-{room}"], replay, TextWriter.Null, $"server.data-dir = \"{dataDir}\"");
            Assert.Equal(0, exitCode);
            var lastEvent = replay.ToString().Split('\n').Last(l => l.StartsWith('#'));
            Assert.Contains(" PeerJoined ", lastEvent);
        }
    }
}
