using MediaEngine.Consumers;
using MediaEngine.Dtls;
using MediaEngine.Net;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.RtpObservers;
using MediaEngine.Sctp;
using MediaEngine.Srtp;
using MediaEngine.Transports;
using MediaEngine.Workers;

namespace Actors.Media;

/// <summary>The gateway to a router of this process's media engine: each call runs on the router's worker thread.</summary>
public sealed class RouterGateway(Router router) : IRouterGateway
{
    public string RouterId => router.Id;

    public int WorkerIndex => router.WorkerIndex;

    public Task<WebRtcTransportDescription> CreateWebRtcTransportAsync(WebRtcTransportOptions options, Action<TransportEvent> onEvent) =>
        router.CreateWebRtcTransportAsync(options, onEvent, transport =>
            new WebRtcTransportDescription(transport.Id, transport.IceParameters, transport.IceCandidates, transport.LocalFingerprints, transport.SctpOptions));

    public Task<PlainTransportDescription> CreatePlainTransportAsync(PlainTransportOptions options, Action<TransportEvent> onEvent, string? id = null) =>
        router.CreatePlainTransportAsync(options, onEvent, transport =>
            new PlainTransportDescription(transport.Id, transport.Ip, transport.Port, transport.RtcpPort, transport.RtcpMux, transport.Comedia,
                transport.LocalSrtpParameters), id);

    public Task ConnectWebRtcTransportAsync(string transportId, DtlsRole remoteRole, DtlsFingerprint remoteFingerprint) =>
        router.ConnectWebRtcTransportAsync(transportId, remoteRole, remoteFingerprint);

    public Task<SrtpParameters?> ConnectPlainTransportAsync(string transportId, string? ip, int? port, int? rtcpPort, SrtpParameters? remoteSrtp) =>
        router.ConnectPlainTransportAsync(transportId, ip, port, rtcpPort, remoteSrtp);

    public Task<IceParameters> RestartIceAsync(string transportId) => router.RestartIceAsync(transportId);

    public Task SetNetworkShapeAsync(string transportId, NetworkShape? uplink, NetworkShape? downlink) =>
        router.SetNetworkShapeAsync(transportId, uplink, downlink);

    public Task<TransportBaseStats> GetTransportStatsAsync(string transportId) => router.GetTransportStatsAsync(transportId);

    public Task CloseTransportAsync(string transportId) => router.CloseTransportAsync(transportId);

    public async Task<string> CreateProducerAsync(string transportId, string kind, ProducerType type, RtpParameters rtpParameters,
        RtpMapping mapping, RtpParameters consumableRtpParameters, bool paused, string? id = null) =>
        (await router.CreateProducerAsync(transportId, kind, type, rtpParameters, mapping, consumableRtpParameters, paused, id)).Id;

    public Task SetProducerPausedAsync(string producerId, bool paused) => router.SetProducerPausedAsync(producerId, paused);

    public Task CloseProducerAsync(string producerId) => router.CloseProducerAsync(producerId);

    public Task<object[]> GetProducerStatsAsync(string producerId) => router.GetProducerStatsAsync(producerId);

    public async Task<string> CreateConsumerAsync(string transportId, string producerId, RtpParameters rtpParameters, bool paused, string? id = null) =>
        (await router.CreateConsumerAsync(transportId, producerId, rtpParameters, paused, id)).Id;

    public Task SetConsumerPausedAsync(string consumerId, bool paused) => router.SetConsumerPausedAsync(consumerId, paused);

    public Task<ConsumerScore?> ResumeConsumerAsync(string consumerId) => router.ResumeConsumerAsync(consumerId);

    public Task SetConsumerPreferredLayersAsync(string consumerId, int spatialLayer, int? temporalLayer) =>
        router.SetConsumerPreferredLayersAsync(consumerId, spatialLayer, temporalLayer);

    public Task SetConsumerPriorityAsync(string consumerId, int priority) => router.SetConsumerPriorityAsync(consumerId, priority);

    public Task RequestConsumerKeyFrameAsync(string consumerId) => router.RequestConsumerKeyFrameAsync(consumerId);

    public Task CloseConsumerAsync(string consumerId) => router.CloseConsumerAsync(consumerId);

    public Task<object[]> GetConsumerStatsAsync(string consumerId) => router.GetConsumerStatsAsync(consumerId);

    public async Task<string> CreateDataProducerAsync(string? transportId, SctpStreamParameters? streamParameters, string label, string protocol) =>
        (await router.CreateDataProducerAsync(transportId, streamParameters, label, protocol)).Id;

    public async Task<string> CreateDataConsumerAsync(string dataProducerId, string? transportId, SctpStreamParameters? streamParameters,
        Action<uint, byte[]>? direct = null) =>
        (await router.CreateDataConsumerAsync(dataProducerId, transportId, streamParameters, direct)).Id;

    public Task SendDirectAsync(string dataProducerId, uint ppid, byte[] payload) => router.SendDirectAsync(dataProducerId, ppid, payload);

    public Task CloseDataProducerAsync(string dataProducerId) => router.CloseDataProducerAsync(dataProducerId);

    public Task<object[]> GetDataProducerStatsAsync(string dataProducerId) => router.GetDataProducerStatsAsync(dataProducerId);

    public Task<object[]> GetDataConsumerStatsAsync(string dataConsumerId) => router.GetDataConsumerStatsAsync(dataConsumerId);

    public Task<string> CreateAudioLevelObserverAsync(AudioLevelObserverOptions options) => router.CreateAudioLevelObserverAsync(options);

    public Task AddProducerToAudioLevelObserverAsync(string observerId, string producerId) =>
        router.AddProducerToAudioLevelObserverAsync(observerId, producerId);

    public Task CloseAsync() => router.CloseAsync();
}
