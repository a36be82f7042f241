using System.Text.Json;
using Actors.Peers;

namespace Actors.Rooms;

/// <summary>POST /rooms/:roomId/broadcasters, already validated by the HTTP layer.</summary>
public sealed record CreateBroadcaster(string Id, string DisplayName, JsonElement Device, JsonElement? RtpCapabilities);

public sealed record DeleteBroadcaster(string Id);

/// <summary>POST …/broadcasters/:id/transports {type:"webrtc", sctpCapabilities?}.</summary>
public sealed record CreateBroadcasterWebRtcTransport(string BroadcasterId, JsonElement? SctpCapabilities);

/// <summary>POST …/broadcasters/:id/transports {type:"plain", rtcpMux?, comedia?, enableSrtp?, srtpCryptoSuite?} (mediasoup-demo's defaults: rtcpMux false, comedia true).</summary>
public sealed record CreateBroadcasterPlainTransport(string BroadcasterId, bool RtcpMux, bool Comedia, bool EnableSrtp, string? SrtpCryptoSuite);

/// <summary>
/// A broadcaster route that addresses one of its transports, as the request a protoo peer would
/// send (<see cref="ConnectWebRtcTransport"/>, <see cref="Produce"/>, <see cref="ProduceData"/>)
/// or one only the HTTP API has (<see cref="ConnectPlainTransport"/>, <see cref="ConsumeProducer"/>, <see cref="ConsumeDataProducer"/>).
/// </summary>
public sealed record BroadcasterTransportRequest(string BroadcasterId, string TransportId, object Request);

/// <summary>POST …/transports/:transportId/plain/connect {ip?, port?, rtcpPort?, srtpParameters?}.</summary>
public sealed record ConnectPlainTransport(string? Ip, int? Port, int? RtcpPort, string? SrtpCryptoSuite, string? SrtpKeyBase64, bool HasSrtpParameters)
    : IPeerRequest
{
    public string Method => "connectPlainTransport";
}

/// <summary>POST …/transports/:transportId/consume?producerId=: a consumer created unpaused, its parameters returned.</summary>
public sealed record ConsumeProducer(string ProducerId);

/// <summary>POST …/transports/:transportId/consume/data {dataProducerId}.</summary>
public sealed record ConsumeDataProducer(string DataProducerId);

/// <summary>The seed's POST /rooms/:roomId/peerId/:peerId/transports/:transportId/consume/data, for a protoo peer or a broadcaster.</summary>
public sealed record PeerConsumeData(string PeerId, string TransportId, string DataProducerId);

/// <summary>The seed's GET /rooms/:roomId/chensong (later AllDataProducers).</summary>
public sealed record GetDataChannelDirectory
{
    public static readonly GetDataChannelDirectory Instance = new();
}
