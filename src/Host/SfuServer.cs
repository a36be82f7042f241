using System.Net;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;
using MediaEngine.Rtp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serilog;
using Serilog.Events;
using Signaling;
using Signaling.Http;
using Signaling.Protoo;

namespace SfuHost;

/// <summary>Composes the server: Kestrel (HTTPS + WSS, plain HTTP), the actor system and Serilog.</summary>
public static class SfuServer
{
    public static WebApplication Build(ServerConfig config, string[]? args = null)
    {
        var roomSettings = new RoomSettings(
            Ortc.GenerateRouterRtpCapabilities(config.MediaCodecs),
            SnapshotEvery: config.SnapshotEvery,
            NetworkThrottleSecret: config.NetworkThrottleSecret,
            IceConsentTimeout: config.IceConsentTimeout,
            RejoinGracePeriod: config.RejoinGracePeriod,
            InitialAvailableOutgoingBitrate: config.InitialAvailableOutgoingBitrate,
            MaxIncomingBitrate: config.MaxIncomingBitrate)
        {
            MemberLimits = config.MemberLimits,
            MaxPeers = config.MaxPeersPerRoom,
            MaxRooms = config.MaxRooms,
            NodeBroadcasters = new NodeQuota(config.MaxBroadcasters),
            NodePlainTransports = new NodeQuota(config.MaxPlainTransports),
        };
        var certificate = CertificateProvider.Load(config);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(CreateLogger(config.LogLevel, toStandardError: false,
            node: config.Cluster is { } cluster ? $"{cluster.Hostname}:{cluster.Port}" : null), dispose: false);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(config.HttpsListenIp), config.HttpsListenPort, listen => listen.UseHttps(certificate));
            if (config.HttpEnabled)
                kestrel.Listen(IPAddress.Parse(config.HttpListenIp), config.HttpListenPort);
        });
        builder.Services.AddHealthChecks();
        builder.Services.AddAkka(AkkaSetup.SystemName, (akka, _) =>
        {
            AkkaSetup.Configure(akka, config, roomSettings);
            ServerHealthChecks.Configure(akka, config);
        });
        builder.Services.AddSingleton(config.ClientLimits);
        var access = new AccessPolicy(config.AuthKey is { } key ? new AccessTokens(key) : null, config.OperatorRoutesOnLoopback);
        builder.Services.AddSingleton(access);
        builder.Services.AddHttpRateLimit(config.ClientLimits.HttpRequestsPerSecond);

        var app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(() => StopRooms(app));
        // protoo upgrades are limited by connections-per-address: the HTTP rate comes after them.
        app.UseProtooWebSockets(acceptOn: context => context.Request.IsHttps, config.ClientLimits);
        app.UseHttpRateLimit(config.ClientLimits.HttpRequestsPerSecond);
        access.UseOnHttpApi(app);
        if (!access.Enabled)
            Log.Warning("access tokens are off (server.auth.key is not set): as in mediasoup-demo, anyone may join any room as any peer and use the HTTP API");
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapBroadcasterApi();
        app.MapRoomHistoryApi();
        app.MapMetricsApi();
        app.MapClusterApi();
        ServerHealthChecks.Map(app);
        return app;
    }

    /// <summary>
    /// Runs before Kestrel drops the sockets: rooms stop first, so the server's own shutdown is
    /// not journaled as every peer leaving, and the rooms come back on the next start.
    /// </summary>
    private static void StopRooms(WebApplication app)
    {
        var registry = app.Services.GetRequiredService<ActorRegistry>();
        if (!registry.TryGet<RoomManagerActor>(out var rooms))
            return;
        try
        {
            rooms.Ask<RoomsStopped>(StopAllRooms.Instance, TimeSpan.FromSeconds(10)).Wait();
        }
        catch (AggregateException e)
        {
            Log.Warning("rooms did not stop in time: {Reason}", e.InnerException?.Message);
        }
    }

    /// <param name="node">In a cluster, this node's cluster endpoint: every line carries it (property Node).</param>
    public static Serilog.ILogger CreateLogger(string level, bool toStandardError, string? node = null)
    {
        var minimum = Enum.TryParse<LogEventLevel>(level, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        if (node is not null)
            configuration.Enrich.WithProperty("Node", node);
        var logger = configuration
            .WriteTo.Console(
                outputTemplate: node is null
                    ? "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}"
                    : "[{Timestamp:HH:mm:ss.fff} {Level:u3} {Node}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: toStandardError ? LogEventLevel.Verbose : null)
            .CreateLogger();
        Log.Logger = logger;
        return logger;
    }

    /// <summary>The addresses Kestrel bound, https first (useful when the configured ports are 0).</summary>
    public static (Uri Https, Uri? Http) BoundAddresses(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).ToList();
        return (addresses.First(a => a.Scheme == "https"), addresses.FirstOrDefault(a => a.Scheme == "http"));
    }
}
