using System.Text.Json;

namespace Actors.Peers;

/// <summary>A protoo request from a peer, already parsed into a typed command.</summary>
public interface IPeerRequest
{
    /// <summary>The protoo method name, for logs and error texts.</summary>
    string Method { get; }
}

/// <summary>A request about one of the peer's transports, run by that transport's actor.</summary>
public interface ITransportRequest : IPeerRequest
{
    string TransportId { get; }
}

/// <summary>A request about one of the peer's producers, run by that producer's actor.</summary>
public interface IProducerRequest : IPeerRequest
{
    string ProducerId { get; }
}

/// <summary>A request about one of the peer's consumers, run by that consumer's actor.</summary>
public interface IConsumerRequest : IPeerRequest
{
    string ConsumerId { get; }
}

/// <summary>Also the HTTP API's GET /rooms/:roomId.</summary>
public sealed record GetRouterRtpCapabilities : IPeerRequest, Rooms.IRoomCommand
{
    public string Method => "getRouterRtpCapabilities";
}

public sealed record Join(
    string? DisplayName,
    JsonElement? Device,
    JsonElement? RtpCapabilities,
    JsonElement? SctpCapabilities) : IPeerRequest
{
    public string Method => "join";
}

public sealed record ChangeDisplayName(string DisplayName) : IPeerRequest
{
    public string Method => "changeDisplayName";
}

public sealed record Produce(string TransportId, string Kind, JsonElement RtpParameters, JsonElement? AppData) : IPeerRequest
{
    public string Method => "produce";
}

/// <summary>closeProducer, pauseProducer, resumeProducer, getProducerStats.</summary>
public sealed record ProducerRequest(string Method, string ProducerId) : IProducerRequest;

/// <summary>pauseConsumer, resumeConsumer, requestConsumerKeyFrame, getConsumerStats.</summary>
public sealed record ConsumerRequest(string Method, string ConsumerId) : IConsumerRequest;

public sealed record SetConsumerPreferredLayers(string ConsumerId, int SpatialLayer, int? TemporalLayer) : IConsumerRequest
{
    public string Method => "setConsumerPreferredLayers";
}

public sealed record SetConsumerPriority(string ConsumerId, int Priority) : IConsumerRequest
{
    public string Method => "setConsumerPriority";
}

public sealed record ProduceData(string TransportId, JsonElement SctpStreamParameters, string Label, string Protocol, JsonElement? AppData) : IPeerRequest
{
    public string Method => "produceData";
}

/// <summary>getDataProducerStats / getDataConsumerStats.</summary>
public sealed record DataStatsRequest(string Method, string Id) : IPeerRequest;


/// <summary>
/// applyNetworkThrottle / resetNetworkThrottle: allowed only with the configured secret. Uplink and
/// downlink in kbit/s, rtt in ms, packetLoss in percent (absent or 0: mediasoup-demo's defaults).
/// </summary>
public sealed record NetworkThrottle(bool Apply, string? Secret, int? Uplink = null, int? Downlink = null, int? Rtt = null, double? PacketLoss = null) : IPeerRequest
{
    public string Method => Apply ? "applyNetworkThrottle" : "resetNetworkThrottle";
}

public sealed record CreateWebRtcTransport(bool ForceTcp, bool Producing, bool Consuming, JsonElement? SctpCapabilities) : IPeerRequest
{
    public string Method => "createWebRtcTransport";
}

/// <summary>One entry of dtlsParameters.fingerprints.</summary>
public sealed record FingerprintParameter(string Algorithm, string Value);

public sealed record ConnectWebRtcTransport(string TransportId, string Role, IReadOnlyList<FingerprintParameter> Fingerprints) : ITransportRequest
{
    public string Method => "connectWebRtcTransport";
}

public sealed record RestartIce(string TransportId) : ITransportRequest
{
    public string Method => "restartIce";
}

public sealed record GetTransportStats(string TransportId) : ITransportRequest
{
    public string Method => "getTransportStats";
}

/// <summary>A request of a joined-only method whose fields are invalid: after the joined check, answered with <see cref="Error"/>.</summary>
public sealed record MalformedRequest(string Method, string Error) : IPeerRequest;
