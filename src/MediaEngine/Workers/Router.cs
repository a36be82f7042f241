using MediaEngine.Dtls;
using MediaEngine.Transports;

namespace MediaEngine.Workers;

/// <summary>
/// A room's media on one worker (mediasoup's Router): it creates the room's transports on that
/// worker, so everything a room routes stays on one thread.
/// </summary>
public sealed class Router
{
    private readonly MediaWorker _worker;
    private readonly HashSet<WebRtcTransport> _transports = new();
    private bool _closed;

    internal Router(MediaWorker worker)
    {
        _worker = worker;
        Id = Guid.NewGuid().ToString();
    }

    public string Id { get; }

    public int WorkerIndex => _worker.Worker.Index;

    public Task<WebRtcTransport> CreateWebRtcTransportAsync(WebRtcTransportOptions options, Action<TransportEvent> onEvent) =>
        _worker.Worker.InvokeAsync(() =>
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var (server, ownsServer) = _worker.ServerFor(options);
            var transport = WebRtcTransport.Create(_worker.Worker, server, ownsServer, _worker.Certificate, options, onEvent);
            _transports.Add(transport);
            return transport;
        });

    public Task CloseTransportAsync(WebRtcTransport transport) => _worker.Worker.InvokeAsync(() =>
    {
        _transports.Remove(transport);
        transport.Close();
    });

    /// <summary>Closes every transport of the room.</summary>
    public Task CloseAsync() => _worker.Worker.InvokeAsync(() =>
    {
        _closed = true;
        foreach (var transport in _transports)
            transport.Close();
        _transports.Clear();
    });

    internal DtlsCertificate Certificate => _worker.Certificate;
}
