using MediaEngine.Consumers;
using MediaEngine.DataChannels;
using MediaEngine.Sctp;
using MediaEngine.Srtp;
using MediaEngine.Dtls;
using MediaEngine.Net;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.RtpObservers;
using MediaEngine.Transports;

namespace MediaEngine.Workers;

/// <summary>
/// A room's media on one worker (mediasoup's Router): it creates the room's transports,
/// producers and consumers on that worker, so everything a room routes stays on one thread.
/// Methods may be called from any thread; they run on the worker.
/// </summary>
public sealed class Router
{
    private readonly MediaWorker _worker;
    private readonly Action<object> _onEvent;
    private readonly Dictionary<string, Transport> _transports = new();
    private readonly Dictionary<string, Producer> _producers = new();
    private readonly Dictionary<string, Consumer> _consumers = new();
    private readonly Dictionary<string, DataProducer> _dataProducers = new();
    private readonly Dictionary<string, DataConsumer> _dataConsumers = new();
    private readonly Dictionary<string, (AudioLevelObserver Observer, IDisposable Timer)> _audioLevelObservers = new();
    private bool _closed;

    /// <param name="onEvent">Media events (consumer layer changes, audio level observer reports), raised on the worker thread.</param>
    internal Router(MediaWorker worker, Action<object> onEvent)
    {
        _worker = worker;
        _onEvent = onEvent;
        Id = Guid.NewGuid().ToString();
    }

    public string Id { get; }

    public int WorkerIndex => _worker.Worker.Index;

    private Worker Worker => _worker.Worker;

    public Task<WebRtcTransport> CreateWebRtcTransportAsync(WebRtcTransportOptions options, Action<TransportEvent> onEvent) =>
        CreateWebRtcTransportAsync(options, onEvent, transport => transport);

    /// <param name="describe">Runs on the worker thread: what of the new transport the caller keeps.</param>
    public Task<T> CreateWebRtcTransportAsync<T>(WebRtcTransportOptions options, Action<TransportEvent> onEvent, Func<WebRtcTransport, T> describe) =>
        Worker.InvokeAsync(() =>
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var (server, ownsServer) = _worker.ServerFor(options);
            var transport = WebRtcTransport.Create(Worker, server, ownsServer, _worker.Certificate,
                options with { SctpLossInjection = _worker.Settings.SctpLossInjection, RtpLossInjection = _worker.Settings.RtpLossInjection }, onEvent);
            transport.RtpReceiveLossInjection = _worker.Settings.RtpReceiveLossInjection;
            _transports.Add(transport.Id, transport);
            return describe(transport);
        });

    /// <param name="id">A restored transport's id (with its ports in <paramref name="options"/>); null for a new one.</param>
    public Task<PlainTransport> CreatePlainTransportAsync(PlainTransportOptions options, Action<TransportEvent> onEvent, string? id = null) =>
        CreatePlainTransportAsync(options, onEvent, transport => transport, id);

    /// <param name="describe">Runs on the worker thread: what of the new transport the caller keeps.</param>
    /// <param name="id">A restored transport's id (with its ports in <paramref name="options"/>); null for a new one.</param>
    public Task<T> CreatePlainTransportAsync<T>(PlainTransportOptions options, Action<TransportEvent> onEvent, Func<PlainTransport, T> describe, string? id = null) =>
        Worker.InvokeAsync(() =>
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (id is not null && _transports.ContainsKey(id))
                throw new InvalidOperationException($"transport with id \"{id}\" already exists");
            var transport = PlainTransport.Create(Worker, options with { RtpLossInjection = _worker.Settings.RtpLossInjection, LoopbackPeersOnly = _worker.Settings.LoopbackPeersOnly },
                _worker.Settings.AnnouncedAddress, _worker.BindUdp, onEvent, id);
            _transports.Add(transport.Id, transport);
            return describe(transport);
        });

    /// <summary>Starts DTLS on the transport once ICE has a selected tuple (mediasoup's webRtcTransport.connect()).</summary>
    public async Task ConnectWebRtcTransportAsync(string transportId, DtlsRole remoteRole, DtlsFingerprint remoteFingerprint) =>
        await (await TransportAsync<WebRtcTransport>(transportId)).ConnectAsync(remoteRole, remoteFingerprint);

    /// <summary>The network throttle on a WebRTC transport (null shapes lift it).</summary>
    public async Task SetNetworkShapeAsync(string transportId, NetworkShape? uplink, NetworkShape? downlink) =>
        await (await TransportAsync<WebRtcTransport>(transportId)).SetNetworkShapeAsync(uplink, downlink);

    public async Task<IceParameters> RestartIceAsync(string transportId) =>
        await (await TransportAsync<WebRtcTransport>(transportId)).RestartIceAsync();

    /// <returns>The local SRTP parameters when SRTP is enabled (mediasoup's plainTransport.connect()).</returns>
    public async Task<SrtpParameters?> ConnectPlainTransportAsync(string transportId, string? ip, int? port, int? rtcpPort, SrtpParameters? remoteSrtp) =>
        await (await TransportAsync<PlainTransport>(transportId)).ConnectAsync(ip, port, rtcpPort, remoteSrtp);

    public async Task<TransportBaseStats> GetTransportStatsAsync(string transportId) => await TransportAsync<Transport>(transportId) switch
    {
        WebRtcTransport webRtc => await webRtc.GetStatsAsync(),
        PlainTransport plain => await plain.GetStatsAsync(),
        var other => throw new NotSupportedException(other.GetType().Name),
    };

    private Task<T> TransportAsync<T>(string transportId) where T : Transport => Worker.InvokeAsync(() =>
        _transports.GetValueOrDefault(transportId) as T ?? throw new InvalidOperationException($"transport with id \"{transportId}\" not found"));

    /// <summary>Closes the transport with its producers (and their consumers everywhere) and its consumers.</summary>
    public Task CloseTransportAsync(string transportId) => Worker.InvokeAsync(() =>
    {
        if (!_transports.Remove(transportId, out var transport))
            return;
        foreach (var producer in _producers.Values.Where(p => p.Transport == transport).ToList())
            CloseProducer(producer);
        foreach (var consumer in _consumers.Values.Where(c => c.Transport == transport).ToList())
            CloseConsumer(consumer);
        foreach (var dataProducer in _dataProducers.Values.Where(p => p.Transport == transport).ToList())
            CloseDataProducer(dataProducer);
        foreach (var dataConsumer in _dataConsumers.Values.Where(c => c.Transport == transport).ToList())
            CloseDataConsumer(dataConsumer);
        transport.Close();
    });

    /// <param name="id">A restored producer's id; null for a new one.</param>
    public Task<Producer> CreateProducerAsync(string transportId, string kind, ProducerType type, RtpParameters rtpParameters,
        RtpMapping mapping, RtpParameters consumableRtpParameters, bool paused, string? id = null) =>
        Worker.InvokeAsync(() =>
        {
            var transport = OpenTransport<Transport>(transportId);
            if (id is not null && _producers.ContainsKey(id))
                throw new InvalidOperationException($"producer with id \"{id}\" already exists");
            var producer = new Producer(id ?? Guid.NewGuid().ToString(), transport, kind, type, rtpParameters, mapping, consumableRtpParameters, paused, _onEvent);
            transport.AddProducer(producer);
            _producers[producer.Id] = producer;
            return producer;
        });

    /// <param name="id">A restored consumer's id; null for a new one.</param>
    public Task<Consumer> CreateConsumerAsync(string transportId, string producerId, RtpParameters rtpParameters, bool paused, string? id = null) =>
        Worker.InvokeAsync(() =>
        {
            var transport = OpenTransport<Transport>(transportId);
            if (!_producers.TryGetValue(producerId, out var producer))
                throw new InvalidOperationException($"producer with id \"{producerId}\" not found");
            if (id is not null && _consumers.ContainsKey(id))
                throw new InvalidOperationException($"consumer with id \"{id}\" already exists");
            var consumer = new Consumer(id ?? Guid.NewGuid().ToString(), producer, transport, rtpParameters, paused, _onEvent);
            producer.AddConsumer(consumer);
            transport.AddConsumer(consumer);
            _consumers[consumer.Id] = consumer;
            return consumer;
        });

    /// <summary>A data producer on an SCTP stream of the transport, or a direct one (null transport).</summary>
    public Task<DataProducer> CreateDataProducerAsync(string? transportId, SctpStreamParameters? streamParameters, string label, string protocol) =>
        Worker.InvokeAsync(() =>
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var transport = transportId is null ? null : OpenTransport<WebRtcTransport>(transportId);
            var dataProducer = new DataProducer(Guid.NewGuid().ToString(), transport, streamParameters, label, protocol);
            transport?.AddDataProducer(dataProducer);
            _dataProducers[dataProducer.Id] = dataProducer;
            return dataProducer;
        });

    /// <summary>A data consumer on the transport (stream parameters chosen by the caller), or a direct one delivering to <paramref name="direct"/>.</summary>
    public Task<DataConsumer> CreateDataConsumerAsync(string dataProducerId, string? transportId, SctpStreamParameters? streamParameters,
        Action<uint, byte[]>? direct = null) =>
        Worker.InvokeAsync(() =>
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var transport = transportId is null ? null : OpenTransport<WebRtcTransport>(transportId);
            if (!_dataProducers.TryGetValue(dataProducerId, out var dataProducer))
                throw new InvalidOperationException($"dataProducer with id \"{dataProducerId}\" not found");
            var dataConsumer = new DataConsumer(Guid.NewGuid().ToString(), dataProducer, transport, streamParameters, direct);
            dataProducer.AddConsumer(dataConsumer);
            _dataConsumers[dataConsumer.Id] = dataConsumer;
            return dataConsumer;
        });

    /// <summary>Sends a message from a direct data producer (the Bot) to all its consumers.</summary>
    public Task SendDirectAsync(string dataProducerId, uint ppid, byte[] payload) => Worker.InvokeAsync(() =>
    {
        if (_dataProducers.TryGetValue(dataProducerId, out var dataProducer) && dataProducer.Transport is null)
            dataProducer.Receive(ppid, payload);
    });

    public Task CloseDataProducerAsync(string dataProducerId) => Worker.InvokeAsync(() =>
    {
        if (_dataProducers.TryGetValue(dataProducerId, out var dataProducer))
            CloseDataProducer(dataProducer);
    });

    public Task<object[]> GetDataProducerStatsAsync(string dataProducerId) => Worker.InvokeAsync(() =>
        _dataProducers.TryGetValue(dataProducerId, out var p)
            ? new object[] { new { type = "data-producer", timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), label = p.Label, protocol = p.Protocol, messagesReceived = p.MessagesReceived, bytesReceived = p.BytesReceived } }
            : []);

    public Task<object[]> GetDataConsumerStatsAsync(string dataConsumerId) => Worker.InvokeAsync(() =>
        _dataConsumers.TryGetValue(dataConsumerId, out var c)
            ? new object[] { new { type = "data-consumer", timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), label = c.DataProducer.Label, protocol = c.DataProducer.Protocol, messagesSent = c.MessagesSent, bytesSent = c.BytesSent, bufferedAmount = c.BufferedAmount } }
            : []);

    /// <summary>An audio level observer ticking on this router's worker; its reports go to the router's event callback.</summary>
    public Task<string> CreateAudioLevelObserverAsync(AudioLevelObserverOptions options) => Worker.InvokeAsync(() =>
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var observer = new AudioLevelObserver(Guid.NewGuid().ToString(), options, Worker.Now);
        var timer = Worker.Every(options.Interval, () =>
        {
            if (observer.Poll(Worker.Now) is { } report)
                _onEvent(report);
        });
        _audioLevelObservers[observer.Id] = (observer, timer);
        return observer.Id;
    });

    /// <summary>Adds an audio producer to the observer (mediasoup's rtpObserver.addProducer); it leaves it when it closes.</summary>
    public Task AddProducerToAudioLevelObserverAsync(string observerId, string producerId) => Worker.InvokeAsync(() =>
    {
        if (!_audioLevelObservers.TryGetValue(observerId, out var entry))
            throw new InvalidOperationException($"RtpObserver with id \"{observerId}\" not found");
        if (!_producers.TryGetValue(producerId, out var producer))
            throw new InvalidOperationException($"producer with id \"{producerId}\" not found");
        if (producer.Kind != "audio")
            throw new InvalidOperationException("not an audio producer");
        if (producer.ObservedLevels is not null)
            throw new InvalidOperationException($"producer with id \"{producerId}\" already observed");
        producer.ObservedLevels = entry.Observer.AddProducer(producerId);
    });

    public Task SetProducerPausedAsync(string producerId, bool paused) => WithProducer(producerId, p => p.SetPaused(paused));

    /// <summary>Closes the producer and every consumer of it.</summary>
    public Task CloseProducerAsync(string producerId) => WithProducer(producerId, CloseProducer);

    public Task SetConsumerPausedAsync(string consumerId, bool paused) => WithConsumer(consumerId, c => c.SetPaused(paused));

    /// <summary>Resumes the consumer (the newConsumer handshake is done) and returns its score to announce.</summary>
    public Task<ConsumerScore?> ResumeConsumerAsync(string consumerId) => Worker.InvokeAsync(() =>
    {
        if (!_consumers.TryGetValue(consumerId, out var consumer))
            return null;
        consumer.SetPaused(false);
        return (ConsumerScore?)consumer.CurrentScore();
    });

    public Task SetConsumerPreferredLayersAsync(string consumerId, int spatialLayer, int? temporalLayer = null) =>
        WithConsumer(consumerId, c => c.SetPreferredLayers(spatialLayer, temporalLayer));

    public Task SetConsumerPriorityAsync(string consumerId, int priority) => WithConsumer(consumerId, c => c.SetPriority(priority));

    public Task RequestConsumerKeyFrameAsync(string consumerId) => WithConsumer(consumerId, c => c.RequestKeyFrame());

    public Task CloseConsumerAsync(string consumerId) => WithConsumer(consumerId, CloseConsumer);

    public Task<object[]> GetProducerStatsAsync(string producerId) => Worker.InvokeAsync(() =>
        _producers.TryGetValue(producerId, out var producer) ? MediaStats.Of(producer) : []);

    public Task<object[]> GetConsumerStatsAsync(string consumerId) => Worker.InvokeAsync(() =>
        _consumers.TryGetValue(consumerId, out var consumer) ? MediaStats.Of(consumer) : []);

    /// <summary>Closes every transport of the room.</summary>
    public Task CloseAsync() => Worker.InvokeAsync(() =>
    {
        _closed = true;
        _worker.Forget(this);
        foreach (var (_, timer) in _audioLevelObservers.Values)
            timer.Dispose();
        _audioLevelObservers.Clear();
        foreach (var producer in _producers.Values)
            Worker.ClosedTotals.Add(producer);
        foreach (var consumer in _consumers.Values)
            Worker.ClosedTotals.Add(consumer);
        foreach (var dataProducer in _dataProducers.Values)
            Worker.ClosedTotals.Add(dataProducer);
        foreach (var dataConsumer in _dataConsumers.Values)
            Worker.ClosedTotals.Add(dataConsumer);
        _producers.Clear();
        _consumers.Clear();
        _dataProducers.Clear();
        _dataConsumers.Clear();
        foreach (var transport in _transports.Values)
            transport.Close();
        _transports.Clear();
    });

    /// <summary>Worker thread: a transport of this router, still open.</summary>
    private T OpenTransport<T>(string transportId) where T : Transport
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_transports.GetValueOrDefault(transportId) is not T transport || transport.IsClosed)
            throw new InvalidOperationException($"transport with id \"{transportId}\" not found");
        return transport;
    }

    private Task WithProducer(string producerId, Action<Producer> action) => Worker.InvokeAsync(() =>
    {
        if (_producers.TryGetValue(producerId, out var producer))
            action(producer);
    });

    private Task WithConsumer(string consumerId, Action<Consumer> action) => Worker.InvokeAsync(() =>
    {
        if (_consumers.TryGetValue(consumerId, out var consumer))
            action(consumer);
    });

    /// <summary>Worker thread: adds this router's open objects, and their counters, to <paramref name="metrics"/>.</summary>
    internal void AddTo(WorkerMetrics metrics)
    {
        int webRtc = 0, plain = 0;
        foreach (var transport in _transports.Values)
        {
            if (transport.IsClosed)
                continue; // closed directly (not through this router): its counters are in the worker's closed totals
            if (transport is WebRtcTransport)
                webRtc++;
            else
                plain++;
            metrics.Add(transport);
        }
        foreach (var producer in _producers.Values)
            metrics.Add(producer);
        foreach (var consumer in _consumers.Values)
            metrics.Add(consumer);
        foreach (var dataProducer in _dataProducers.Values)
            metrics.Add(dataProducer);
        foreach (var dataConsumer in _dataConsumers.Values)
            metrics.Add(dataConsumer);
        metrics.AddOpen(webRtc, plain, _producers.Count, _consumers.Count, _dataProducers.Count, _dataConsumers.Count);
    }

    private void CloseProducer(Producer producer)
    {
        foreach (var consumer in producer.Consumers.ToList())
            CloseConsumer(consumer);
        producer.Transport.RemoveProducer(producer);
        producer.ObservedLevels?.Observer.RemoveProducer(producer.Id);
        producer.ObservedLevels = null;
        _producers.Remove(producer.Id);
        Worker.ClosedTotals.Add(producer);
    }

    private void CloseDataProducer(DataProducer dataProducer)
    {
        foreach (var dataConsumer in dataProducer.Consumers.ToList())
            CloseDataConsumer(dataConsumer);
        dataProducer.Transport?.RemoveDataProducer(dataProducer);
        _dataProducers.Remove(dataProducer.Id);
        Worker.ClosedTotals.Add(dataProducer);
    }

    private void CloseDataConsumer(DataConsumer dataConsumer)
    {
        dataConsumer.DataProducer.RemoveConsumer(dataConsumer);
        if (dataConsumer.StreamParameters is { } stream)
            dataConsumer.Transport?.ResetSctpStream(stream.StreamId);
        _dataConsumers.Remove(dataConsumer.Id);
        Worker.ClosedTotals.Add(dataConsumer);
    }

    private void CloseConsumer(Consumer consumer)
    {
        consumer.Producer.RemoveConsumer(consumer);
        consumer.Transport.RemoveConsumer(consumer);
        _consumers.Remove(consumer.Id);
        Worker.ClosedTotals.Add(consumer);
    }

    internal DtlsCertificate Certificate => _worker.Certificate;
}
