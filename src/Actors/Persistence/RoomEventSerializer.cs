using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Rooms;
using Akka.Actor;
using Akka.Serialization;

namespace Actors.Persistence;

/// <summary>
/// Writes room events and snapshots as UTF-8 JSON, with a manifest "TypeName.vN" naming the
/// schema, so the journal reads well in sqlite3/psql and survives CLR refactors. Events are
/// written in their current schema; older manifests are upcast on reading, one version step at
/// a time (see <see cref="Upcasters"/>), so a journal never needs migrating.
/// </summary>
public sealed class RoomEventSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4242;

    private static readonly IReadOnlyDictionary<string, Type> TypesByManifest = new Dictionary<string, Type>
    {
        ["RoomCreated.v1"] = typeof(RoomCreated),
        ["PeerConnected.v1"] = typeof(PeerConnected),
        ["PeerJoined.v2"] = typeof(PeerJoined),
        ["DisplayNameChanged.v1"] = typeof(DisplayNameChanged),
        ["PeerLeft.v2"] = typeof(PeerLeft),
        ["BroadcasterCreated.v1"] = typeof(BroadcasterCreated),
        ["BroadcasterDeleted.v1"] = typeof(BroadcasterDeleted),
        ["TransportCreated.v1"] = typeof(TransportCreated),
        ["TransportConnected.v1"] = typeof(TransportConnected),
        ["PlainTransportCreated.v2"] = typeof(PlainTransportCreated),
        ["PlainTransportConnected.v2"] = typeof(PlainTransportConnected),
        ["IceRestarted.v1"] = typeof(IceRestarted),
        ["TransportClosed.v1"] = typeof(TransportClosed),
        ["ProducerCreated.v1"] = typeof(ProducerCreated),
        ["ProducerPaused.v1"] = typeof(ProducerPaused),
        ["ProducerResumed.v1"] = typeof(ProducerResumed),
        ["ProducerClosed.v1"] = typeof(ProducerClosed),
        ["ConsumerCreated.v2"] = typeof(ConsumerCreated),
        ["ConsumerPaused.v1"] = typeof(ConsumerPaused),
        ["ConsumerResumed.v1"] = typeof(ConsumerResumed),
        ["ConsumerClosed.v1"] = typeof(ConsumerClosed),
        ["DataProducerCreated.v1"] = typeof(DataProducerCreated),
        ["DataProducerClosed.v1"] = typeof(DataProducerClosed),
        ["DataConsumerCreated.v1"] = typeof(DataConsumerCreated),
        ["DataConsumerClosed.v1"] = typeof(DataConsumerClosed),
        ["RoomClosed.v1"] = typeof(RoomClosed),
        ["RoomRecovered.v1"] = typeof(RoomRecovered),
        ["PeerRejoined.v1"] = typeof(PeerRejoined),
        ["PlainTransportRestored.v1"] = typeof(PlainTransportRestored),
        ["OpenRoomAdded.v1"] = typeof(OpenRoomAdded),
        ["OpenRoomRemoved.v1"] = typeof(OpenRoomRemoved),
        ["OpenRooms.v1"] = typeof(OpenRoomsSnapshot),
        ["RoomState.v3"] = typeof(RoomState),
    };

    /// <summary>
    /// Schema steps: an old manifest, the manifest it becomes and how its JSON changes. To rename
    /// or extend an event, bump its manifest above and add the step from the previous one here.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, (string Next, Func<JsonObject, JsonObject> Upcast)> Upcasters =
        new Dictionary<string, (string, Func<JsonObject, JsonObject>)>
        {
            ["PeerLeft.v1"] = ("PeerLeft.v2", PeerLeftV1ToV2),
            ["PeerJoined.v1"] = ("PeerJoined.v2", PeerJoinedV1ToV2),
            ["PlainTransportCreated.v1"] = ("PlainTransportCreated.v2", WithoutRestoreFields),
            ["PlainTransportConnected.v1"] = ("PlainTransportConnected.v2", WithoutRestoreFields),
            ["ConsumerCreated.v1"] = ("ConsumerCreated.v2", WithoutRestoreFields),
            ["RoomState.v1"] = ("RoomState.v2", WithoutRestoreFields),
            ["RoomState.v2"] = ("RoomState.v3", RoomStateV2ToV3),
        };

    private static readonly IReadOnlyDictionary<Type, string> ManifestsByType =
        TypesByManifest.ToDictionary(pair => pair.Value, pair => pair.Key);

    public RoomEventSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    public override int Identifier => SerializerId;

    /// <summary>The serialized types, for serialization bindings.</summary>
    public static IEnumerable<Type> BoundTypes => [typeof(IRoomEvent), typeof(RoomState), typeof(IOpenRoomsEvent), typeof(OpenRoomsSnapshot)];

    public static string EventTypeName(object value) => ManifestOf(value).Split('.')[0];

    public static string ManifestOf(object value) =>
        ManifestsByType.TryGetValue(value.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{value.GetType().Name} has no journal manifest", nameof(value));

    public override string Manifest(object o) => ManifestOf(o);

    public override byte[] ToBinary(object obj) =>
        JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), RoomJson.Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var current = manifest;
        JsonObject? upcast = null;
        while (Upcasters.TryGetValue(current, out var step))
        {
            upcast = step.Upcast(upcast ?? JsonNode.Parse(bytes) as JsonObject
                ?? throw new System.Runtime.Serialization.SerializationException($"payload of \"{manifest}\" is not a JSON object"));
            current = step.Next;
        }
        if (!TypesByManifest.TryGetValue(current, out var type))
            throw new System.Runtime.Serialization.SerializationException($"unknown room journal manifest \"{manifest}\"");
        return (upcast is null ? JsonSerializer.Deserialize(bytes, type, RoomJson.Options) : upcast.Deserialize(type, RoomJson.Options))
               ?? throw new System.Runtime.Serialization.SerializationException($"empty payload for \"{manifest}\"");
    }

    /// <summary>v1 put the transport failure in the reason ("transport ID icestatechange disconnected"); v2 has a reason code and a detail.</summary>
    private static JsonObject PeerLeftV1ToV2(JsonObject v1)
    {
        var reason = v1["reason"]?.GetValue<string>() ?? "";
        if (reason.StartsWith("transport ", StringComparison.Ordinal))
        {
            v1["reason"] = PeerLeftReasons.TransportClosed;
            v1["detail"] = reason;
        }
        else if (reason == "media worker restarted")
        {
            v1["reason"] = PeerLeftReasons.MediaWorkerRestarted;
        }
        return v1;
    }

    /// <summary>v1 always carried the capabilities; v2 names them by digest too.</summary>
    private static JsonObject PeerJoinedV1ToV2(JsonObject v1)
    {
        if (v1["rtpCapabilities"] is JsonObject capabilities)
            v1["rtpCapabilitiesDigest"] = RtpCapabilitiesDigest.Of(capabilities.ToJsonString(RoomJson.Options));
        return v1;
    }

    /// <summary>
    /// v2 kept each peer's capabilities; v3 keeps their digest, and the digests of the sets the
    /// journal holds in full (the PeerJoined.v1 events of those peers carried them).
    /// </summary>
    private static JsonObject RoomStateV2ToV3(JsonObject v2)
    {
        var inJournal = new JsonArray();
        foreach (var peer in (v2["peers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (peer["rtpCapabilities"] is not JsonObject capabilities)
                continue;
            var digest = RtpCapabilitiesDigest.Of(capabilities.ToJsonString(RoomJson.Options));
            peer.Remove("rtpCapabilities");
            peer["rtpCapabilitiesDigest"] = digest;
            if (!inJournal.Any(known => known!.GetValue<string>() == digest))
                inJournal.Add(digest);
        }
        v2["rtpCapabilitiesInJournal"] = inJournal;
        return v2;
    }

    /// <summary>
    /// v2 only adds what restoring a broadcaster's media needs (SRTP keys, consumers' RTP parameters,
    /// plain transport settings in snapshots); v1 never had it, and absent it reads as null: not restorable.
    /// </summary>
    private static JsonObject WithoutRestoreFields(JsonObject v1) => v1;

    public static string ToJson(object value) => JsonSerializer.Serialize(value, value.GetType(), RoomJson.Options);
}
