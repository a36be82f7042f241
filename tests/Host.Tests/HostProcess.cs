using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Host.Tests;

/// <summary>Fixed loopback ports, so that a restarted server is where its clients left it.</summary>
public sealed record HostPorts(int Https, int Http, int WebRtcServer)
{
    public static HostPorts Free() => new(FreeTcpPort(), FreeTcpPort(), FreeUdpAndTcpPort());

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int FreeUdpAndTcpPort()
    {
        while (true)
        {
            var port = FreeTcpPort();
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}

/// <summary>The server in its own process (SfuHost.dll), as an operator runs it: here to be killed with SIGKILL and started again.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private HostProcess(Process process, ConcurrentQueue<string> output, HostPorts ports)
    {
        _process = process;
        _output = output;
        HttpsUri = new Uri($"https://127.0.0.1:{ports.Https}/");
        HttpUri = new Uri($"http://127.0.0.1:{ports.Http}/");
    }

    public Uri HttpsUri { get; }

    public Uri HttpUri { get; }

    public int ProcessId => _process.Id;

    public string Output => string.Join('\n', _output);

    /// <summary>A copy of the shipped hocon/ with <paramref name="serverConf"/> appended to server.conf (later keys win).</summary>
    public static string ConfigDirectory(string serverConf)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "hocon");
        var directory = Path.Combine(Path.GetTempPath(), "sfu-tests", "hocon-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        File.Copy(Path.Combine(shipped, "akka.conf"), Path.Combine(directory, "akka.conf"));
        File.WriteAllText(Path.Combine(directory, "server.conf"), File.ReadAllText(Path.Combine(shipped, "server.conf")) + "\n" + serverConf + "\n");
        return directory;
    }

    public static async Task<HostProcess> StartAsync(string dataDir, string configDir, HostPorts ports, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "SfuHost.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["SFU_CONFIG_DIR"] = configDir;
        start.Environment["SFU_DATA_DIR"] = dataDir;
        start.Environment["PROTOO_LISTEN_IP"] = "127.0.0.1";
        start.Environment["PROTOO_LISTEN_PORT"] = ports.Https.ToString();
        start.Environment["HTTP_LISTEN_IP"] = "127.0.0.1";
        start.Environment["HTTP_LISTEN_PORT"] = ports.Http.ToString();
        start.Environment["MEDIASOUP_NUM_WORKERS"] = "1";
        start.Environment["MEDIASOUP_LISTEN_IP"] = "127.0.0.1";
        start.Environment["MEDIASOUP_ANNOUNCED_IP"] = "127.0.0.1";
        start.Environment["MEDIASOUP_WEBRTC_SERVER_PORT"] = ports.WebRtcServer.ToString();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (Regex.IsMatch(e.Data, @"SFU listening: https://127\.0\.0\.1:\d+/"))
                listening.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, output, ports);
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await host.DisposeAsync();
            throw new TimeoutException($"the server did not start:\n{host.Output}");
        }
        return host;
    }

    /// <summary>kill -9: no shutdown hook runs, nothing is flushed or closed by the server.</summary>
    public async Task KillHardAsync()
    {
        using (var kill = Process.Start("kill", ["-KILL", _process.Id.ToString()]))
            await kill.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM, as an orchestrator stops a server; waits for the process to end.</summary>
    public async Task TerminateAsync()
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
            await term.WaitForExitAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
