using System.Text.Json;

namespace Actors.Rooms;

/// <summary>POST /rooms/:roomId/broadcasters, already validated by the HTTP layer.</summary>
public sealed record CreateBroadcaster(string Id, string DisplayName, JsonElement Device, JsonElement? RtpCapabilities);

public sealed record DeleteBroadcaster(string Id);

/// <summary>POST …/broadcasters/:id/transports with type "plain" or "webrtc".</summary>
public sealed record CreateBroadcasterTransport(string BroadcasterId, string Type, JsonElement Body);

/// <summary>The broadcaster routes that address one of its transports.</summary>
public sealed record BroadcasterTransportRequest(
    string BroadcasterId,
    string TransportId,
    BroadcasterTransportAction Action,
    JsonElement Body,
    string? ProducerId = null);

public enum BroadcasterTransportAction
{
    Connect,
    Produce,
    Consume,
    ConsumeData,
    ProduceData,
}

/// <summary>The seed's POST /rooms/:roomId/peerId/:peerId/transports/:transportId/consume/data.</summary>
public sealed record PeerConsumeData(string PeerId, string TransportId, string DataProducerId);

/// <summary>The seed's GET /rooms/:roomId/chensong (later AllDataProducers).</summary>
public sealed record GetDataChannelDirectory
{
    public static readonly GetDataChannelDirectory Instance = new();
}
