using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;

namespace Signaling.Protoo;

/// <summary>Turns a protoo request into the room's typed command, or into the error to answer.</summary>
public static class ProtooRequestMapper
{
    /// <summary>The methods protocol.md §2.1 marks "joined required".</summary>
    private static readonly HashSet<string> JoinRequiredMethods =
    [
        "changeDisplayName", "produce", "closeProducer", "pauseProducer", "resumeProducer", "pauseConsumer", "resumeConsumer",
        "setConsumerPreferredLayers", "setConsumerPriority", "requestConsumerKeyFrame", "produceData",
    ];


    /// <param name="limits">The sizes of the fields (server.client-limits): a larger one is refused like a mistyped one.</param>
    public static (IPeerRequest? Command, CommandFailure? Error) Map(string method, JsonElement data, ClientLimits limits)
    {
        try
        {
            if (data.ValueKind != JsonValueKind.Object)
                throw new ArgumentException("request data must be an object");
            limits.CheckFields(data);
            return (MapOrThrow(method, data), null);
        }
        catch (UnknownMethodException e)
        {
            return (null, CommandResult.Error(e.Message));
        }
        catch (ArgumentException e) when (JoinRequiredMethods.Contains(method))
        {
            // The joined check comes first, as in mediasoup-demo: the room answers "Peer not yet joined" or this error.
            return (new MalformedRequest(method, e.Message), null);
        }
        catch (ArgumentException e)
        {
            return (null, CommandResult.TypeError(e.Message));
        }
    }

    private static IPeerRequest MapOrThrow(string method, JsonElement data) => method switch
    {
        "getRouterRtpCapabilities" => new GetRouterRtpCapabilities(),
        "join" => new Join(
            OptionalString(data, "displayName"),
            OptionalObject(data, "device"),
            OptionalObject(data, "rtpCapabilities"),
            OptionalObject(data, "sctpCapabilities")),
        "changeDisplayName" => new ChangeDisplayName(
            OptionalString(data, "displayName") ?? throw new ArgumentException("missing displayName")),
        "createWebRtcTransport" => new CreateWebRtcTransport(
            Truthy(data, "forceTcp"), Truthy(data, "producing"), Truthy(data, "consuming"), OptionalObject(data, "sctpCapabilities")),
        "connectWebRtcTransport" => ParseConnect(data),
        "restartIce" => new RestartIce(RequiredString(data, "transportId")),
        "getTransportStats" => new GetTransportStats(RequiredString(data, "transportId")),
        "produce" => new Produce(
            RequiredString(data, "transportId"),
            RequiredString(data, "kind"),
            OptionalObject(data, "rtpParameters") ?? throw new ArgumentException("missing rtpParameters"),
            OptionalObject(data, "appData")),
        "closeProducer" or "pauseProducer" or "resumeProducer" or "getProducerStats" =>
            new ProducerRequest(method, RequiredString(data, "producerId")),
        "pauseConsumer" or "resumeConsumer" or "requestConsumerKeyFrame" or "getConsumerStats" =>
            new ConsumerRequest(method, RequiredString(data, "consumerId")),
        "setConsumerPreferredLayers" => new SetConsumerPreferredLayers(
            RequiredString(data, "consumerId"),
            OptionalInt(data, "spatialLayer") ?? throw new ArgumentException("spatialLayer must be a number"),
            OptionalInt(data, "temporalLayer")),
        "setConsumerPriority" => new SetConsumerPriority(
            RequiredString(data, "consumerId"),
            OptionalInt(data, "priority") is { } priority and >= 1 ? priority : throw new ArgumentException("priority must be a positive number")),
        "produceData" => new ProduceData(
            RequiredString(data, "transportId"),
            OptionalObject(data, "sctpStreamParameters") ?? throw new ArgumentException("missing sctpStreamParameters"),
            OptionalString(data, "label") ?? "",
            OptionalString(data, "protocol") ?? "",
            OptionalObject(data, "appData")),
        "getDataProducerStats" => new DataStatsRequest(method, RequiredString(data, "dataProducerId")),
        "getDataConsumerStats" => new DataStatsRequest(method, RequiredString(data, "dataConsumerId")),
        "applyNetworkThrottle" => new NetworkThrottle(true, OptionalString(data, "secret"),
            InRange(OptionalInt(data, "uplink"), "uplink", 0, MaxThrottleKbps),
            InRange(OptionalInt(data, "downlink"), "downlink", 0, MaxThrottleKbps),
            InRange(OptionalInt(data, "rtt"), "rtt", 0, MaxThrottleRttMs),
            OptionalDouble(data, "packetLoss") is { } loss
                ? loss is >= 0 and <= 100 ? loss : throw new ArgumentException("packetLoss must be between 0 and 100")
                : null),
        "resetNetworkThrottle" => new NetworkThrottle(false, OptionalString(data, "secret")),
        _ => throw new UnknownMethodException(method),
    };

    /// <summary>connectWebRtcTransport's data; the HTTP API gives the transport id in its path instead.</summary>
    public static ConnectWebRtcTransport ParseConnect(JsonElement data, string? transportIdFromPath = null)
    {
        var transportId = transportIdFromPath ?? RequiredString(data, "transportId");
        var dtls = OptionalObject(data, "dtlsParameters") ?? throw new ArgumentException("missing dtlsParameters");
        var role = OptionalString(dtls, "role") ?? "auto";
        if (!dtls.TryGetProperty("fingerprints", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            throw new ArgumentException("missing dtlsParameters.fingerprints");
        var fingerprints = list.EnumerateArray()
            .Select(f => f.ValueKind == JsonValueKind.Object
                ? new FingerprintParameter(
                    OptionalString(f, "algorithm") ?? throw new ArgumentException("fingerprint without algorithm"),
                    OptionalString(f, "value") ?? throw new ArgumentException("fingerprint without value"))
                : throw new ArgumentException("a fingerprint must be an object"))
            .ToList();
        return new ConnectWebRtcTransport(transportId, role, fingerprints);
    }

    /// <summary>mediasoup-demo's default, which means no bandwidth limit.</summary>
    private const int MaxThrottleKbps = 1_000_000;

    private const int MaxThrottleRttMs = 10_000;

    private static int? InRange(int? value, string name, int min, int max) =>
        value is null || (value >= min && value <= max)
            ? value
            : throw new ArgumentException($"{name} must be between {min} and {max}");

    private static double? OptionalDouble(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            ? number
            : throw new ArgumentException($"{name} must be a number");
    }

    private static int? OptionalInt(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new ArgumentException($"{name} must be a number");
    }

    private static bool Truthy(JsonElement data, string name) => WireJson.IsTruthyProperty(data, name);

    private static string RequiredString(JsonElement data, string name) =>
        OptionalString(data, name) ?? throw new ArgumentException($"missing {name}");

    private static string? OptionalString(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ArgumentException($"{name} must be a string");
    }

    private static JsonElement? OptionalObject(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return null;
        return value.ValueKind == JsonValueKind.Object ? value.Clone() : throw new ArgumentException($"{name} must be an object");
    }
}

/// <summary>A method protocol.md does not have: answered 500 <c>unknown request.method "x"</c>.</summary>
public sealed class UnknownMethodException(string method) : ArgumentException($"unknown request.method \"{method}\"");
