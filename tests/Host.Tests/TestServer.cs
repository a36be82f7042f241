using Microsoft.AspNetCore.Builder;
using SfuHost;

namespace Host.Tests;

/// <summary>The real server (Kestrel, actor system, SQLite journal) on random loopback ports.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, ServerConfig config, Uri https, Uri http)
    {
        _app = app;
        Config = config;
        HttpsUri = https;
        HttpUri = http;
    }

    public ServerConfig Config { get; }

    public Uri HttpsUri { get; }

    public Uri HttpUri { get; }

    public IServiceProvider Services => _app.Services;

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "sfu-tests", Guid.NewGuid().ToString("N"));

    public static async Task<TestServer> StartAsync(string? dataDir = null, string extraConfig = "")
    {
        var config = ServerConfig.Load(overrides: $$"""
            server {
              data-dir = "{{dataDir ?? NewDataDir()}}"
              https { listen-ip = "127.0.0.1", listen-port = 0 }
              http { listen-ip = "127.0.0.1", listen-port = 0 }
              log.level = "Warning"
              mediasoup {
                num-workers = 1
                listen-ip = "127.0.0.1"
                announced-address = "127.0.0.1"
                webrtc-server-options.port = 0
                loopback-peers-only = on
              }
            }
            {{extraConfig}}
            """);
        var app = SfuServer.Build(config);
        await app.StartAsync();
        var (https, http) = SfuServer.BoundAddresses(app);
        return new TestServer(app, config, https, http!);
    }

    public Uri WebSocketUri(string? roomId, string? peerId)
    {
        var query = new List<string>();
        if (roomId is not null) query.Add($"roomId={Uri.EscapeDataString(roomId)}");
        if (peerId is not null) query.Add($"peerId={Uri.EscapeDataString(peerId)}");
        return new Uri($"wss://127.0.0.1:{HttpsUri.Port}/?{string.Join('&', query)}");
    }

    public static HttpClient CreateHttpClient() =>
        new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
