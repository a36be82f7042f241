using MediaEngine.Consumers;
using MediaEngine.Dtls;
using MediaEngine.Net;
using MediaEngine.Producers;
using MediaEngine.Rtp;
using MediaEngine.RtpObservers;
using MediaEngine.Sctp;
using MediaEngine.Srtp;
using MediaEngine.Transports;

namespace Actors.Media;

/// <summary>
/// The control plane's only way to a room's router (as mediasoup's node side talks to its worker):
/// every call names transports, producers and consumers by id and answers with immutable values
/// made on the worker's thread, so no actor holds or reads a media object. Calls may be made
/// from any thread; their tasks complete off the actor, which takes results back as messages.
/// </summary>
public interface IRouterGateway
{
    string RouterId { get; }

    /// <summary>The media worker (thread) the router runs on.</summary>
    int WorkerIndex { get; }

    Task<WebRtcTransportDescription> CreateWebRtcTransportAsync(WebRtcTransportOptions options, Action<TransportEvent> onEvent);

    /// <param name="id">A restored transport's id (with its ports in <paramref name="options"/>); null for a new one.</param>
    Task<PlainTransportDescription> CreatePlainTransportAsync(PlainTransportOptions options, Action<TransportEvent> onEvent, string? id = null);

    Task ConnectWebRtcTransportAsync(string transportId, DtlsRole remoteRole, DtlsFingerprint remoteFingerprint);

    /// <returns>This side's SRTP parameters when the transport has SRTP.</returns>
    Task<SrtpParameters?> ConnectPlainTransportAsync(string transportId, string? ip, int? port, int? rtcpPort, SrtpParameters? remoteSrtp);

    Task<IceParameters> RestartIceAsync(string transportId);

    /// <summary>An in-engine network throttle on a WebRTC transport, each direction; null shapes lift it.</summary>
    Task SetNetworkShapeAsync(string transportId, NetworkShape? uplink, NetworkShape? downlink);

    Task<TransportBaseStats> GetTransportStatsAsync(string transportId);

    Task CloseTransportAsync(string transportId);

    /// <returns>The producer's id (<paramref name="id"/> for a restored one).</returns>
    Task<string> CreateProducerAsync(string transportId, string kind, ProducerType type, RtpParameters rtpParameters,
        RtpMapping mapping, RtpParameters consumableRtpParameters, bool paused, string? id = null);

    Task SetProducerPausedAsync(string producerId, bool paused);

    Task CloseProducerAsync(string producerId);

    Task<object[]> GetProducerStatsAsync(string producerId);

    /// <returns>The consumer's id (<paramref name="id"/> for a restored one).</returns>
    Task<string> CreateConsumerAsync(string transportId, string producerId, RtpParameters rtpParameters, bool paused, string? id = null);

    Task SetConsumerPausedAsync(string consumerId, bool paused);

    /// <returns>The consumer's score to announce, if it still exists.</returns>
    Task<ConsumerScore?> ResumeConsumerAsync(string consumerId);

    Task SetConsumerPreferredLayersAsync(string consumerId, int spatialLayer, int? temporalLayer);

    Task SetConsumerPriorityAsync(string consumerId, int priority);

    Task RequestConsumerKeyFrameAsync(string consumerId);

    Task CloseConsumerAsync(string consumerId);

    Task<object[]> GetConsumerStatsAsync(string consumerId);

    /// <summary>A data producer on an SCTP stream of the transport, or a direct one (null transport) that <see cref="SendDirectAsync"/> feeds.</summary>
    Task<string> CreateDataProducerAsync(string? transportId, SctpStreamParameters? streamParameters, string label, string protocol);

    /// <summary>A data consumer on the transport's SCTP stream, or a direct one (null transport) delivering to <paramref name="direct"/> on the worker's thread.</summary>
    Task<string> CreateDataConsumerAsync(string dataProducerId, string? transportId, SctpStreamParameters? streamParameters, Action<uint, byte[]>? direct = null);

    Task SendDirectAsync(string dataProducerId, uint ppid, byte[] payload);

    Task CloseDataProducerAsync(string dataProducerId);

    Task<object[]> GetDataProducerStatsAsync(string dataProducerId);

    Task<object[]> GetDataConsumerStatsAsync(string dataConsumerId);

    Task<string> CreateAudioLevelObserverAsync(AudioLevelObserverOptions options);

    Task AddProducerToAudioLevelObserverAsync(string observerId, string producerId);

    /// <summary>Closes the router with everything on it.</summary>
    Task CloseAsync();
}

/// <summary>A transport as its owner knows it: what it announced when created.</summary>
public abstract record TransportDescription(string Id);

/// <summary>What createWebRtcTransport answers: ICE and DTLS parameters, candidates, SCTP settings.</summary>
public sealed record WebRtcTransportDescription(
    string Id,
    IceParameters IceParameters,
    IReadOnlyList<IceCandidate> IceCandidates,
    IReadOnlyList<DtlsFingerprint> Fingerprints,
    SctpAssociationOptions? SctpOptions) : TransportDescription(Id);

/// <summary>What createPlainTransport answers: the local address and ports, settings, this side's SRTP keys.</summary>
public sealed record PlainTransportDescription(
    string Id,
    string Ip,
    int Port,
    int? RtcpPort,
    bool RtcpMux,
    bool Comedia,
    SrtpParameters? LocalSrtpParameters) : TransportDescription(Id);
