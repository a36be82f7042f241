using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Host.Tests;

/// <summary>
/// tests/interop/werift-peer/peer.mjs in a real node process: mediasoup-client over werift, a
/// WebRTC stack that is not a browser. Its stdout is a JSON report per line; commands go to its stdin.
/// </summary>
public sealed class WeriftPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonObject> _reports = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> _seen = new();
    private readonly List<string> _stderr = new();

    private WeriftPeer(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
                _reports.Writer.TryComplete();
            else if (line.Data.StartsWith('{') && JsonNode.Parse(line.Data) is JsonObject report)
                _reports.Writer.TryWrite(report);
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
                lock (_stderr) _stderr.Add(line.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static WeriftPeer Start(Uri server, string roomId, string peerId)
    {
        var directory = Path.Combine(RepositoryRoot(), "tests", "interop", "werift-peer");
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
            throw new InvalidOperationException($"{directory}/node_modules is missing: run ./test.sh, which installs it (scripts/install-test-deps.sh)");
        var start = new ProcessStartInfo("node", ["peer.mjs", $"wss://{server.Authority}", roomId, peerId])
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return new WeriftPeer(Process.Start(start)!);
    }

    /// <summary>Waits for a report matching <paramref name="match"/> (every report so far counts); fails on an error report or exit.</summary>
    public async Task<JsonObject> ReportAsync(Func<JsonObject, bool> match, string what, TimeSpan timeout)
    {
        lock (_seen)
        {
            if (_seen.FirstOrDefault(match) is { } earlier)
                return earlier;
        }
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var report in _reports.Reader.ReadAllAsync(cancel.Token))
            {
                lock (_seen) _seen.Add(report);
                if (report["event"]?.GetValue<string>() == "error")
                    throw new InvalidOperationException($"the werift peer failed: {report["message"]}; {Diagnostics()}");
                if (match(report))
                    return report;
            }
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"the werift peer reported no {what}; {Diagnostics()}");
    }

    public async Task SendAsync(JsonObject command)
    {
        await _process.StandardInput.WriteLineAsync(command.ToJsonString());
        await _process.StandardInput.FlushAsync();
    }

    public string Diagnostics()
    {
        string reports, stderr;
        lock (_seen) reports = string.Join("\n", _seen.TakeLast(30).Select(r => r.ToJsonString()));
        lock (_stderr) stderr = string.Join("\n", _stderr.TakeLast(20));
        return $"reports:\n{reports}\nstderr:\n{stderr}";
    }

    /// <summary>Closes its stdin (it leaves the room and stops ffmpeg), then waits for it; kills it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(exited.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "tests", "interop", "werift-peer", "peer.mjs")))
                return directory.FullName;
        }
        throw new InvalidOperationException("tests/interop/werift-peer/peer.mjs not found above " + AppContext.BaseDirectory);
    }
}
