using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Host.Tests;

/// <summary>
/// Debian's headless firefox-esr driven over WebDriver BiDi, which Firefox speaks natively: a
/// temporary profile whose user.js turns on fake camera and microphone, grants them without a
/// prompt and lets ICE use loopback; one WebSocket to ws://127.0.0.1:PORT/session. Only what the
/// browser tests need: navigate, evaluate (JSON results), poll a condition, console errors.
/// </summary>
public sealed partial class FirefoxBidi : IAsyncDisposable
{
    public const string FirefoxPath = "/usr/bin/firefox-esr";

    // Media and ICE as the Chromium fixture's flags give them, then quiet start-up (the remote
    // agent's recommended preferences already switch off most first-run pages and updates).
    // A page that neither captures nor holds a camera or microphone permission gets ICE candidates
    // on the default route only, never loopback, which the test server (loopback-peers-only) needs.
    // So the permissions are granted by default: capturing alone was not enough, because the
    // receiving transport can gather before getUserMedia resolves (its ICE then failed, 1 run in 10).
    // permission.fake: fake devices go through the (auto-granted) permission path.
    private const string UserJs = """
        user_pref("media.navigator.streams.fake", true);
        user_pref("media.navigator.permission.disabled", true);
        user_pref("media.navigator.permission.fake", true);
        user_pref("permissions.default.camera", 1);
        user_pref("permissions.default.microphone", 1);
        user_pref("media.peerconnection.ice.loopback", true);
        user_pref("media.peerconnection.ice.obfuscate_host_addresses", false);
        user_pref("media.autoplay.default", 0);
        user_pref("media.autoplay.blocking_policy", 0);
        user_pref("browser.shell.checkDefaultBrowser", false);
        user_pref("browser.startup.homepage_override.mstone", "ignore");
        user_pref("browser.startup.page", 0);
        user_pref("browser.aboutwelcome.enabled", false);
        user_pref("datareporting.policy.dataSubmissionEnabled", false);
        user_pref("datareporting.healthreport.uploadEnabled", false);
        user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
        user_pref("app.update.disabledForTesting", true);
        user_pref("network.captive-portal-service.enabled", false);
        user_pref("network.connectivity-service.enabled", false);
        """;

    private readonly Process _process;
    private readonly string _profileDir;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _consoleErrors = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly StringBuilder _output;
    private Task _receiveLoop = Task.CompletedTask;
    private long _nextId;

    private FirefoxBidi(Process process, string profileDir, ClientWebSocket socket, StringBuilder output)
    {
        _output = output;
        _process = process;
        _profileDir = profileDir;
        _socket = socket;
    }

    /// <summary>Console errors and uncaught exceptions of every page so far (log.entryAdded at level error).</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get { lock (_consoleErrors) return [.. _consoleErrors]; }
    }

    // nICEr names a peer connection by its id, window id and page URL: its first 8 hex digits tell them apart.
    [GeneratedRegex(@"\(PC:\{([0-9a-f]{8})[^ ]* [0-9]+ \(id=[0-9]+ url=[^)]*\)\)?")]
    private static partial Regex PeerConnectionName();

    [GeneratedRegex(@"WebDriver BiDi listening on (ws://[^\s]+)")]
    private static partial Regex ListeningLine();

    /// <summary>Starts Firefox and opens a BiDi session that accepts the test server's self-signed certificate.</summary>
    public static async Task<FirefoxBidi> LaunchAsync()
    {
        if (!File.Exists(FirefoxPath))
            throw new InvalidOperationException($"{FirefoxPath} is missing: run ./test.sh, which installs Debian's firefox-esr");
        var profileDir = Path.Combine(Path.GetTempPath(), "sfu-firefox", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profileDir);
        await File.WriteAllTextAsync(Path.Combine(profileDir, "user.js"), UserJs);

        var start = new ProcessStartInfo(FirefoxPath)
        {
            ArgumentList = { "--headless", "--no-remote", "--remote-debugging-port=0", "--profile", profileDir, "about:blank" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["MOZ_CRASHREPORTER_DISABLE"] = "1";
        // ICE (nICEr), DTLS/transport and JSEP logs, read by WebRtcLog when a test fails.
        start.Environment["MOZ_LOG"] = "timestamp,nicer:4,mtransport:4,jsep:3,signaling:3";
        start.Environment["MOZ_LOG_FILE"] = Path.Combine(profileDir, LogFileName);
        var process = Process.Start(start) ?? throw new InvalidOperationException("firefox-esr did not start");
        var output = new StringBuilder();
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            var match = ListeningLine().Match(e.Data);
            if (match.Success) endpoint.TrySetResult(match.Groups[1].Value);
        }
        process.ErrorDataReceived += OnLine;
        process.OutputDataReceived += OnLine;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var socket = new ClientWebSocket();
        try
        {
            var ready = await Task.WhenAny(endpoint.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            if (ready != endpoint.Task)
            {
                string log;
                lock (output) log = output.ToString();
                throw new InvalidOperationException($"firefox-esr did not open WebDriver BiDi within 60 s (exited: {process.HasExited}); its output:\n{log}");
            }
            await socket.ConnectAsync(new Uri(endpoint.Task.Result.TrimEnd('/') + "/session"), CancellationToken.None);
        }
        catch
        {
            socket.Dispose();
            Kill(process);
            throw;
        }

        var firefox = new FirefoxBidi(process, profileDir, socket, output);
        firefox._receiveLoop = Task.Run(firefox.ReceiveLoopAsync);
        await firefox.SendAsync("session.new", new { capabilities = new { alwaysMatch = new { acceptInsecureCerts = true } } });
        await firefox.SendAsync("session.subscribe", new { events = new[] { "log.entryAdded" } });
        return firefox;
    }

    /// <summary>What Firefox printed on stdout and stderr so far (for failure messages).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private const string LogFileName = "webrtc.log";

    /// <summary>
    /// The last lines of Firefox's ICE, DTLS and JSEP logs (every process's file) that speak of
    /// states, nominations, consent, failures and alerts, for a failure message.
    /// </summary>
    public string WebRtcLog(int maxLines = 150)
    {
        string[] keywords = ["state", "fail", "consent", "nominat", "select", "alert", "error", "timed out", "disconnect", "handshake completed"];
        string[] noise = ["Handshake would have blocked", "nr_socket_multi_tcp_listen failed", "GetNewIceConnectionState"];
        var lines = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_profileDir, LogFileName + "*").Order())
        {
            using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            while (reader.ReadLine() is { } line)
            {
                if (!keywords.Any(k => line.Contains(k, StringComparison.OrdinalIgnoreCase)) || noise.Any(line.Contains))
                    continue;
                var shortened = PeerConnectionName().Replace(line, "(PC:$1)");
                lines.Add(shortened.Length > 400 ? shortened[..400] : shortened);
            }
        }
        return string.Join('\n', lines.TakeLast(maxLines));
    }

    /// <summary>The first top-level browsing context (the start tab).</summary>
    public async Task<string> FirstTabAsync()
    {
        var tree = await SendAsync("browsingContext.getTree", new { maxDepth = 0 });
        return tree.GetProperty("contexts")[0].GetProperty("context").GetString()!;
    }

    public Task NavigateAsync(string context, string url) =>
        SendAsync("browsingContext.navigate", new { context, url, wait = "complete" });

    /// <summary>Evaluates an expression (a Promise is awaited) and returns its value through JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string context, string expression)
    {
        var result = await SendAsync("script.evaluate", new
        {
            expression = $"(async () => JSON.stringify(await ({expression}) ?? null))()",
            target = new { context },
            awaitPromise = true,
            resultOwnership = "none",
        });
        if (result.GetProperty("type").GetString() == "exception")
        {
            var details = result.GetProperty("exceptionDetails");
            throw new InvalidOperationException($"Firefox page threw: {details.GetProperty("text").GetString()} (evaluating {expression})");
        }
        var json = result.GetProperty("result").GetProperty("value").GetString()!;
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>Polls a page expression until it is true; on timeout the message carries the diagnostics expression's value.</summary>
    public async Task UntilAsync(string context, string condition, int timeoutMs = 30_000, string? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(timeoutMs);
        while (true)
        {
            var value = await EvaluateAsync(context, condition);
            if (value.ValueKind == JsonValueKind.True) return;
            if (DateTime.UtcNow > deadline)
            {
                var state = diagnostics is null ? "" : "; " + (await EvaluateAsync(context, diagnostics)).GetRawText();
                throw new TimeoutException($"Firefox: timed out after {timeoutMs} ms waiting for {condition}{state}");
            }
            await Task.Delay(500);
        }
    }

    /// <summary>Sends one BiDi command and returns its result, or throws with the browser's error.</summary>
    public async Task<JsonElement> SendAsync(string method, object parameters, int timeoutMs = 60_000)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters });
        // ClientWebSocket allows one sender at a time.
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
        var done = await Task.WhenAny(reply.Task, Task.Delay(timeoutMs));
        _pending.TryRemove(id, out _);
        if (done != reply.Task)
            throw new TimeoutException($"Firefox did not answer {method} within {timeoutMs} ms");
        return await reply.Task;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                using var document = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                Dispatch(document.RootElement);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
        }
        foreach (var pending in _pending.Values)
            pending.TrySetException(new InvalidOperationException("the WebDriver BiDi connection to Firefox closed"));
    }

    private void Dispatch(JsonElement message)
    {
        var type = message.GetProperty("type").GetString();
        if (type is "success" or "error" && message.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.Number
            && _pending.TryGetValue(idElement.GetInt64(), out var reply))
        {
            if (type == "success")
                reply.TrySetResult(message.GetProperty("result").Clone());
            else
                reply.TrySetException(new InvalidOperationException(
                    $"WebDriver BiDi error {message.GetProperty("error").GetString()}: {message.GetProperty("message").GetString()}"));
            return;
        }
        if (type == "event" && message.GetProperty("method").GetString() == "log.entryAdded")
        {
            var entry = message.GetProperty("params");
            if (entry.GetProperty("level").GetString() == "error")
                lock (_consoleErrors) _consoleErrors.Add(entry.TryGetProperty("text", out var text) ? text.GetString() ?? "" : entry.GetRawText());
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await SendAsync("browser.close", new { }, 10_000);
        }
        catch (Exception error) when (error is InvalidOperationException or TimeoutException or WebSocketException)
        {
        }
        _stop.Cancel();
        await _receiveLoop.ConfigureAwait(false);
        _socket.Dispose();
        if (!_process.WaitForExit(10_000)) Kill(_process);
        _process.Dispose();
        try
        {
            Directory.Delete(_profileDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
