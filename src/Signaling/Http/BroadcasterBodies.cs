using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;

namespace Signaling.Http;

/// <summary>
/// The bodies of the broadcaster API (protocol.md §4.2) read into the commands a room handles. A body
/// that is not what its route takes is refused with <see cref="ArgumentException"/> (a 400), malformed
/// JSON with <see cref="JsonException"/> (a 400 too).
/// </summary>
public static class BroadcasterBodies
{
    private static readonly JsonElement EmptyObject = JsonSerializer.SerializeToElement(new { });

    /// <summary>
    /// A body as Express's JSON parser (strict) reads it: nothing (or blanks) is {}, a top level that is
    /// neither an object nor an array is malformed, and an array has none of the fields a route reads.
    /// </summary>
    public static JsonElement ParseJson(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return EmptyObject;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.Object => document.RootElement.Clone(),
            JsonValueKind.Array => EmptyObject,
            _ => throw new JsonException($"Unexpected token {text.TrimStart()[0]} in JSON at position {text.Length - text.TrimStart().Length}"),
        };
    }

    public static IRoomCommand CreateTransport(string broadcasterId, JsonElement body) => StringProperty(body, "type") switch
    {
        "webrtc" => new CreateBroadcasterWebRtcTransport(broadcasterId, ObjectProperty(body, "sctpCapabilities")),
        "plain" => new CreateBroadcasterPlainTransport(broadcasterId,
            RtcpMux: BoolProperty(body, "rtcpMux") ?? false,
            Comedia: BoolProperty(body, "comedia") ?? true,
            EnableSrtp: BoolProperty(body, "enableSrtp") ?? false,
            SrtpCryptoSuite: StringProperty(body, "srtpCryptoSuite")),
        _ => throw new ArgumentException("invalid type"),
    };

    public static ConnectPlainTransport ConnectPlain(JsonElement body)
    {
        int? Port(string name) => body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt32(out var port) && port is > 0 and <= 65535 ? port : throw new ArgumentException($"invalid body.{name}")
            : null;
        var srtp = ObjectProperty(body, "srtpParameters");
        return new ConnectPlainTransport(StringProperty(body, "ip"), Port("port"), Port("rtcpPort"),
            srtp is { } s ? StringProperty(s, "cryptoSuite") : null, srtp is { } k ? StringProperty(k, "keyBase64") : null, srtp is not null);
    }

    public static CreateBroadcaster CreateBroadcaster(JsonElement body)
    {
        var id = StringProperty(body, "id");
        if (string.IsNullOrEmpty(id))
            throw new ArgumentException("missing body.id");
        var displayName = StringProperty(body, "displayName");
        if (string.IsNullOrEmpty(displayName))
            throw new ArgumentException("missing body.displayName");
        var device = body.TryGetProperty("device", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var deviceName = device.ValueKind == JsonValueKind.Object ? StringProperty(device, "name") : null;
        if (string.IsNullOrEmpty(deviceName))
            throw new ArgumentException("missing body.device.name");
        JsonElement? rtpCapabilities = null;
        if (body.TryGetProperty("rtpCapabilities", out var caps) && caps.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            if (caps.ValueKind != JsonValueKind.Object)
                throw new ArgumentException("wrong body.rtpCapabilities");
            rtpCapabilities = caps.Clone();
        }
        var normalisedDevice = JsonSerializer.SerializeToElement(
            new { flag = "broadcaster", name = deviceName, version = StringProperty(device, "version") }, JsonData.Options);
        return new CreateBroadcaster(id, displayName, normalisedDevice, rtpCapabilities);
    }

    public static Produce Produce(string transportId, JsonElement body) => new(transportId,
        StringProperty(body, "kind") ?? throw new ArgumentException("missing body.kind"),
        ObjectProperty(body, "rtpParameters") ?? throw new ArgumentException("missing body.rtpParameters"),
        null);

    public static ProduceData ProduceData(string transportId, JsonElement body) => new(transportId,
        ObjectProperty(body, "sctpStreamParameters") ?? throw new ArgumentException("missing body.sctpStreamParameters"),
        StringProperty(body, "label") ?? "",
        StringProperty(body, "protocol") ?? "",
        ObjectProperty(body, "appData"));

    public static ConsumeDataProducer ConsumeData(JsonElement body) => new(RequiredString(body, "dataProducerId"));

    private static JsonElement? ObjectProperty(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.Clone()
            : null;

    private static bool? BoolProperty(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static string? StringProperty(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string RequiredString(JsonElement obj, string name) =>
        StringProperty(obj, name) ?? throw new ArgumentException($"missing body.{name}");
}
