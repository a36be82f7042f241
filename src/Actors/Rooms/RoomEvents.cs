using System.Text.Json;

namespace Actors.Rooms;

/// <summary>
/// Something that happened in a room, in the room's own terms. Persisted as JSON with an
/// explicit type name (see <see cref="Persistence.RoomEventSerializer"/>), so field names are
/// part of the journal's schema: rename only through an event adapter.
/// </summary>
public interface IRoomEvent
{
    DateTimeOffset Timestamp { get; }
}

public sealed record RoomCreated(string RoomId, int ConsumerReplicas, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>A protoo connection was accepted for the peer; it is in the room but not joined yet.</summary>
public sealed record PeerConnected(string PeerId, string? RemoteAddress, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>
/// The peer joined. Schema v2 adds <see cref="RtpCapabilitiesDigest"/>, and <see cref="RtpCapabilities"/>
/// is journaled only the first time the room sees that set (<see cref="RoomState.RtpCapabilitiesInJournal"/>);
/// a v1 event always has them, and its digest is computed when it is read.
/// </summary>
public sealed record PeerJoined(
    string PeerId,
    string? DisplayName,
    JsonElement? Device,
    JsonElement? RtpCapabilities,
    JsonElement? SctpCapabilities,
    DateTimeOffset Timestamp) : IRoomEvent
{
    public string? RtpCapabilitiesDigest { get; init; }
}

public sealed record DisplayNameChanged(string PeerId, string DisplayName, string? OldDisplayName, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>
/// The peer is gone. <see cref="Reason"/>: one of <see cref="PeerLeftReasons"/>; <see cref="Detail"/>:
/// what exactly, when there is more to say (which transport failed, and how). Schema v2; v1 had
/// the detail in the reason ("transport ID icestatechange disconnected"), upcast on reading.
/// </summary>
public sealed record PeerLeft(string PeerId, string Reason, DateTimeOffset Timestamp) : IRoomEvent
{
    public string? Detail { get; init; }
}

public static class PeerLeftReasons
{
    public const string Disconnected = "disconnected";
    public const string Replaced = "replaced";

    /// <summary>A member of a recovered room did not reconnect within the rejoin grace period.</summary>
    public const string RejoinTimeout = "rejoin-timeout";

    /// <summary>ICE disconnected or closed, or DTLS failed or closed, on one of its transports (mediasoup-demo closes the peer).</summary>
    public const string TransportClosed = "transport-closed";

    /// <summary>The media worker of the room's router died; the peer was sent to reconnect.</summary>
    public const string MediaWorkerRestarted = "media-worker-restarted";
}

public sealed record BroadcasterCreated(
    string BroadcasterId,
    string DisplayName,
    JsonElement Device,
    JsonElement? RtpCapabilities,
    DateTimeOffset Timestamp) : IRoomEvent;

public sealed record BroadcasterDeleted(string BroadcasterId, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>A peer created a WebRtcTransport (createWebRtcTransport).</summary>
public sealed record TransportCreated(
    string PeerId,
    string TransportId,
    bool ForceTcp,
    bool Producing,
    bool Consuming,
    SctpStreamCounts? Sctp,
    DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>numSctpStreams of a transport with SCTP enabled (OS: outgoing, MIS: maximum incoming).</summary>
public sealed record SctpStreamCounts(
    [property: System.Text.Json.Serialization.JsonPropertyName("OS")] int OS,
    [property: System.Text.Json.Serialization.JsonPropertyName("MIS")] int MIS);

/// <summary>
/// A broadcaster created a PlainTransport (HTTP API, type "plain"); its ports are the announced ones.
/// Schema v2 adds <see cref="SrtpKeyBase64"/>, our SRTP key, so that a restart restores the
/// transport with the keys its remote already has; v1 has none (null), and such an SRTP transport is not restored.
/// </summary>
public sealed record PlainTransportCreated(
    string PeerId,
    string TransportId,
    bool RtcpMux,
    bool Comedia,
    string? SrtpCryptoSuite,
    int Port,
    int? RtcpPort,
    DateTimeOffset Timestamp) : IRoomEvent
{
    public string? SrtpKeyBase64 { get; init; }
}

/// <summary>
/// A PlainTransport's connect: the remote address (null with comedia) and the remote's SRTP crypto suite, if any.
/// Schema v2 adds the remote's key (<see cref="SrtpKeyBase64"/>) and ours after connect
/// (<see cref="LocalSrtpCryptoSuite"/>, <see cref="LocalSrtpKeyBase64"/>: connect switches to the remote's suite with fresh keys);
/// v1 has none (null), and such an SRTP transport is not restored after a restart.
/// </summary>
public sealed record PlainTransportConnected(
    string PeerId,
    string TransportId,
    string? Ip,
    int? Port,
    int? RtcpPort,
    string? SrtpCryptoSuite,
    DateTimeOffset Timestamp) : IRoomEvent
{
    public string? SrtpKeyBase64 { get; init; }

    public string? LocalSrtpCryptoSuite { get; init; }

    public string? LocalSrtpKeyBase64 { get; init; }
}

/// <summary>connectWebRtcTransport: the remote DTLS role and certificate fingerprint algorithm.</summary>
public sealed record TransportConnected(string PeerId, string TransportId, string RemoteDtlsRole, string FingerprintAlgorithm, DateTimeOffset Timestamp) : IRoomEvent;

public sealed record IceRestarted(string PeerId, string TransportId, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>A transport closed while its peer stayed (a peer leaving takes its transports along without this event).</summary>
public sealed record TransportClosed(string PeerId, string TransportId, string Reason, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>produce: the peer's producer, with the RTP parameters it sent and its appData (peerId included).</summary>
public sealed record ProducerCreated(
    string PeerId,
    string ProducerId,
    string TransportId,
    string Kind,
    string Type,
    JsonElement RtpParameters,
    JsonElement AppData,
    bool Paused,
    DateTimeOffset Timestamp) : IRoomEvent;

public sealed record ProducerPaused(string PeerId, string ProducerId, DateTimeOffset Timestamp) : IRoomEvent;

public sealed record ProducerResumed(string PeerId, string ProducerId, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>The producer closed; its consumers closed just before (each with its own event).</summary>
public sealed record ProducerClosed(string PeerId, string ProducerId, string Reason, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>
/// A consumer of <see cref="ProducerId"/> for <see cref="PeerId"/>, created paused until the peer accepts newConsumer
/// (a broadcaster's, unpaused). Schema v2 adds <see cref="RtpParameters"/> (its SSRCs, payload types, MID), with
/// which a broadcaster's consumer on a plain transport is restored after a restart; v1 has none (null).
/// </summary>
public sealed record ConsumerCreated(
    string PeerId,
    string ConsumerId,
    string ProducerId,
    string TransportId,
    string Kind,
    string Type,
    bool Paused,
    DateTimeOffset Timestamp) : IRoomEvent
{
    public JsonElement? RtpParameters { get; init; }
}

public sealed record ConsumerPaused(string PeerId, string ConsumerId, string Reason, DateTimeOffset Timestamp) : IRoomEvent;

public sealed record ConsumerResumed(string PeerId, string ConsumerId, string Reason, DateTimeOffset Timestamp) : IRoomEvent;

public sealed record ConsumerClosed(string PeerId, string ConsumerId, string Reason, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>produceData: a data producer on an SCTP stream of the peer's transport.</summary>
public sealed record DataProducerCreated(
    string PeerId,
    string DataProducerId,
    string TransportId,
    string Label,
    string Protocol,
    JsonElement SctpStreamParameters,
    JsonElement AppData,
    DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>The data producer closed; its data consumers closed just before (each with its own event).</summary>
public sealed record DataProducerClosed(string PeerId, string DataProducerId, string Reason, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>A data consumer for <see cref="PeerId"/> of a peer's data producer, or of the room's Bot.</summary>
public sealed record DataConsumerCreated(
    string PeerId,
    string DataConsumerId,
    string DataProducerId,
    string TransportId,
    string Label,
    int StreamId,
    DateTimeOffset Timestamp) : IRoomEvent;

public sealed record DataConsumerClosed(string PeerId, string DataConsumerId, string Reason, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>The last protoo peer left: the router and every broadcaster went with the room.</summary>
public sealed record RoomClosed(DateTimeOffset Timestamp) : IRoomEvent;
