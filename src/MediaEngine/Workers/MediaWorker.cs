using System.Net;
using System.Net.Sockets;
using MediaEngine.Dtls;
using MediaEngine.Net;
using MediaEngine.Transports;

namespace MediaEngine.Workers;

/// <summary>A worker thread with its DTLS certificate and, by default, its WebRtcServer (port + index).</summary>
public sealed class MediaWorker : IDisposable
{
    private readonly MediaEngineSettings _settings;
    private readonly HashSet<Router> _routers = new(); // worker thread only

    public MediaWorker(int index, MediaEngineSettings settings)
    {
        _settings = settings;
        Worker = new Worker(index);
        Certificate = DtlsCertificate.Generate();
        if (settings.UseWebRtcServer)
        {
            var port = settings.WebRtcServerPort == 0 ? 0 : settings.WebRtcServerPort + index;
            SharedServer = Worker.InvokeAsync(() => new WebRtcServer(Worker, settings.ListenIp, port, port, settings.AnnouncedAddress, loopbackPeersOnly: settings.LoopbackPeersOnly)).GetAwaiter().GetResult();
        }
    }

    public Worker Worker { get; }

    public MediaEngineSettings Settings => _settings;

    public DtlsCertificate Certificate { get; }

    public WebRtcServer? SharedServer { get; }

    /// <summary>Worker thread: the shared server, or a server of the transport's own on free ports of the range.</summary>
    internal (WebRtcServer Server, bool Owned) ServerFor(WebRtcTransportOptions options)
    {
        if (SharedServer is not null)
            return (SharedServer, false);
        var span = _settings.MaxPort - _settings.MinPort + 1;
        var start = Random.Shared.Next(span);
        for (var attempt = 0; attempt < span; attempt++)
        {
            var port = _settings.MinPort + (start + attempt) % span;
            try
            {
                return (new WebRtcServer(Worker, _settings.ListenIp, port, port, _settings.AnnouncedAddress, options.EnableUdp, options.EnableTcp, _settings.LoopbackPeersOnly), true);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
            }
        }
        throw new InvalidOperationException($"no free port in [{_settings.MinPort}, {_settings.MaxPort}]");
    }

    /// <summary>Worker thread: a UDP socket on <paramref name="port"/> (a restored transport's), else on a free port of [MinPort, MaxPort] (plain transports).</summary>
    internal UdpListener BindUdp(int? port, UdpListener.DatagramHandler handler) =>
        port is { } fixedPort ? new UdpListener(Worker, new IPEndPoint(_settings.ListenIp, fixedPort), handler) : BindUdpInRange(handler);

    private UdpListener BindUdpInRange(UdpListener.DatagramHandler handler)
    {
        var span = _settings.MaxPort - _settings.MinPort + 1;
        var start = Random.Shared.Next(span);
        for (var attempt = 0; attempt < span; attempt++)
        {
            var port = _settings.MinPort + (start + attempt) % span;
            try
            {
                return new UdpListener(Worker, new IPEndPoint(_settings.ListenIp, port), handler);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
            }
        }
        throw new InvalidOperationException($"no free port in [{_settings.MinPort}, {_settings.MaxPort}]");
    }

    /// <param name="onEvent">Media events of the router (consumer layer changes), raised on the worker thread.</param>
    public Router CreateRouter(Action<object> onEvent)
    {
        var router = new Router(this, onEvent);
        Worker.Post(() => _routers.Add(router)); // before any command of the router's, which are posted after this
        return router;
    }

    /// <summary>Worker thread: the router closed.</summary>
    internal void Forget(Router router) => _routers.Remove(router);

    /// <summary>
    /// This worker's totals and open objects, gathered by a command on the worker thread between
    /// packets: the packet path keeps its plain counters and takes no lock.
    /// </summary>
    public Task<WorkerMetrics> GetMetricsAsync() => Worker.InvokeAsync(() =>
    {
        var metrics = Worker.ClosedTotals.Copy();
        foreach (var router in _routers)
            router.AddTo(metrics);
        if (SharedServer is not null)
            metrics.AddServer(SharedServer);
        metrics.SetWorker(Worker, ThreadCpuTime.OfCurrentThread());
        return metrics;
    });

    public void Dispose()
    {
        if (SharedServer is not null)
            Worker.InvokeAsync(SharedServer.Dispose).Wait(TimeSpan.FromSeconds(5));
        Worker.Dispose();
    }
}
