using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>scripts/ffmpeg-broadcaster.sh (curl + Debian's ffmpeg) publishes into a room while the web client in headless Chromium watches and listens.</summary>
public sealed class FfmpegBroadcasterTests(BrowserFixture browser) : BrowserRoomTests(browser)
{
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task The_script_broadcast_is_decoded_and_heard_in_chromium_and_stopping_it_closes_the_peer()
    {
        var roomId = "ffmpeg-" + Guid.NewGuid().ToString("N")[..6];
        var page = await Pages.JoinAsync(roomId, "viewer", "&produce=false", displayName: "Viewer");

        var output = new StringBuilder();
        using var script = StartScript(roomId, output);
        try
        {
            await page.WaitForFunctionAsync("() => window.sfu.client.snapshot().peers.some(p => p.id === 'ffmpeg-bc' && p.device.flag === 'broadcaster')",
                null, new PageWaitForFunctionOptions { Timeout = 20_000 });
            await RoomPages.ReceivesAsync(page, ["ffmpeg-bc"], MediaTimeout, TimeSpan.FromMilliseconds(500), () =>
            {
                lock (output)
                    return Task.FromResult($"script: {output}");
            });
        }
        finally
        {
            using (var term = Process.Start("kill", ["-TERM", script.Id.ToString()]))
                await term.WaitForExitAsync();
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await script.WaitForExitAsync(exited.Token);
            }
            catch (OperationCanceledException)
            {
                script.Kill(entireProcessTree: true);
                throw;
            }
        }

        // The script stopped ffmpeg and deleted the broadcaster: it is gone from the room with its consumers.
        await page.WaitForFunctionAsync(
            "() => !window.sfu.client.snapshot().peers.some(p => p.id === 'ffmpeg-bc') && !window.sfu.client.snapshot().consumers.some(c => c.peerId === 'ffmpeg-bc')",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        lock (output)
            Assert.Contains(">>> deleting broadcaster ffmpeg-bc", output.ToString());
        Assert.Empty(Pages.ErrorsOf(page));
    }

    private Process StartScript(string roomId, StringBuilder output)
    {
        foreach (var tool in new[] { "ffmpeg", "curl" })
        {
            if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, tool))))
                throw new InvalidOperationException($"{tool} is missing: run ./test.sh, which installs it (scripts/install-test-deps.sh)");
        }
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "scripts", "ffmpeg-broadcaster.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ROOM_ID"] = roomId;
        start.Environment["SERVER_URL"] = Server.HttpUri.ToString().TrimEnd('/');
        start.Environment["BROADCASTER_ID"] = "ffmpeg-bc";
        start.Environment["DISPLAY_NAME"] = "FFmpeg";
        var process = Process.Start(start)!;
        void Append(object? _, DataReceivedEventArgs line)
        {
            if (line.Data is not null)
                lock (output) output.AppendLine(line.Data);
        }
        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "scripts", "ffmpeg-broadcaster.sh")))
                return directory.FullName;
        }
        throw new InvalidOperationException("scripts/ffmpeg-broadcaster.sh not found above " + AppContext.BaseDirectory);
    }
}
