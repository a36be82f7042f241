using System.Diagnostics;
using System.Text.RegularExpressions;
using SfuHost.Replay;

namespace Host.Tests;

/// <summary>The server as an operator runs it: its own process, stopped with SIGTERM.</summary>
public sealed class ProcessLifecycleTests
{
    [Fact]
    public async Task Sigterm_shuts_down_cleanly_and_keeps_the_room_for_the_next_start()
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
            await using var alice = await ProtooTestClient.ConnectAsync(server, "sigterm-room", "alice");
            await alice.RequestOkAsync("join", new System.Text.Json.Nodes.JsonObject { ["displayName"] = "Alice" });

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
                await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{string.Join('\n', output)}");
            await alice.Closed.WaitAsync(ProtooTestClient.Timeout);
            Assert.Equal(1001, (int)alice.CloseStatus!.Value);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        var replay = new StringWriter();
        var exitCode = await ReplayCommand.RunAsync(["--room", "sigterm-room"], replay, TextWriter.Null, $"server.data-dir = \"{dataDir}\"");
        Assert.Equal(0, exitCode);
        var lastEvent = replay.ToString().Split('\n').Last(l => l.StartsWith('#'));
        Assert.Contains(" PeerJoined ", lastEvent);
    }
}
