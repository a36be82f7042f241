using System.Text.Json;
using Actors.Peers;

namespace Actors.Rooms;

/// <summary>
/// A command of the HTTP API for one room (<see cref="RoomRequest"/>): plain data, serializable with the
/// session messages, so the room may be on another node of a cluster.
/// </summary>
public interface IRoomCommand;

/// <summary>POST /rooms/:roomId/broadcasters, already validated by the HTTP layer.</summary>
public sealed record CreateBroadcaster(string Id, string DisplayName, JsonElement Device, JsonElement? RtpCapabilities) : IRoomCommand;

public sealed record DeleteBroadcaster(string Id) : IRoomCommand;

/// <summary>POST …/broadcasters/:id/transports {type:"webrtc", sctpCapabilities?}.</summary>
public sealed record CreateBroadcasterWebRtcTransport(string BroadcasterId, JsonElement? SctpCapabilities) : IRoomCommand;

/// <summary>POST …/broadcasters/:id/transports {type:"plain", rtcpMux?, comedia?, enableSrtp?, srtpCryptoSuite?} (mediasoup-demo's defaults: rtcpMux false, comedia true).</summary>
public sealed record CreateBroadcasterPlainTransport(string BroadcasterId, bool RtcpMux, bool Comedia, bool EnableSrtp, string? SrtpCryptoSuite) : IRoomCommand;

/// <summary>
/// A broadcaster route that addresses one of its transports, as the request a protoo peer would
/// send (<see cref="ConnectWebRtcTransport"/>, <see cref="Produce"/>, <see cref="ProduceData"/>)
/// or one only the HTTP API has (<see cref="ConnectPlainTransport"/>, <see cref="ConsumeProducer"/>, <see cref="ConsumeDataProducer"/>).
/// </summary>
public sealed record BroadcasterTransportRequest(string BroadcasterId, string TransportId, IPeerRequest Request) : IRoomCommand;

/// <summary>POST …/transports/:transportId/plain/connect {ip?, port?, rtcpPort?, srtpParameters?}.</summary>
public sealed record ConnectPlainTransport(string? Ip, int? Port, int? RtcpPort, string? SrtpCryptoSuite, string? SrtpKeyBase64, bool HasSrtpParameters)
    : IPeerRequest
{
    public string Method => "connectPlainTransport";
}

/// <summary>POST …/transports/:transportId/consume?producerId=: a consumer created unpaused, its parameters returned.</summary>
public sealed record ConsumeProducer(string ProducerId) : IPeerRequest
{
    public string Method => "consume";
}

/// <summary>POST …/transports/:transportId/consume/data {dataProducerId}.</summary>
public sealed record ConsumeDataProducer(string DataProducerId) : IPeerRequest
{
    public string Method => "consumeData";
}

/// <summary>The seed's POST /rooms/:roomId/peerId/:peerId/transports/:transportId/consume/data, for a protoo peer or a broadcaster.</summary>
public sealed record PeerConsumeData(string PeerId, string TransportId, string DataProducerId) : IRoomCommand;

/// <summary>The seed's GET /rooms/:roomId/chensong (later AllDataProducers).</summary>
public sealed record GetDataChannelDirectory : IRoomCommand
{
    public static readonly GetDataChannelDirectory Instance = new();
}
