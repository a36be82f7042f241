using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;
using Signaling.Protoo;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Signaling.Http;

/// <summary>
/// mediasoup-demo's HTTP API for broadcasters (protocol.md §4.2) plus the seed's routes (§4.4).
/// Rooms are not created here: an unknown room answers 404, as in the seed.
/// </summary>
public static class BroadcasterApi
{
    private static readonly TimeSpan RoomTimeout = TimeSpan.FromSeconds(15);
    private const string Broadcaster = "/rooms/{roomId}/broadcasters/{broadcasterId}";

    public static IEndpointRouteBuilder MapBroadcasterApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/rooms/{roomId}", (HttpContext c, string roomId) =>
            SendAsync(c, roomId, new GetRouterRtpCapabilities()));

        routes.MapPost("/rooms/{roomId}/broadcasters", (HttpContext c, string roomId) =>
            WithBodyAsync(c, body => SendAsync(c, roomId, ParseCreateBroadcaster(body))));
        routes.MapDelete(Broadcaster, (HttpContext c, string roomId, string broadcasterId) =>
            SendAsync(c, roomId, new DeleteBroadcaster(broadcasterId)));
        routes.MapGet(Broadcaster, (HttpContext c, string roomId, string broadcasterId) =>
            SendAsync(c, roomId, new DeleteBroadcaster(broadcasterId)));

        routes.MapPost(Broadcaster + "/transports", (HttpContext c, string roomId, string broadcasterId) =>
            WithBodyAsync(c, body => SendAsync(c, roomId, Validated(() => ParseCreateTransport(broadcasterId, body),
                error => new BroadcasterTransportRequest(broadcasterId, "", new MalformedRequest("createTransport", error))))));
        MapTransportRoute(routes, "/connect", (transportId, body) => ProtooRequestMapper.ParseConnect(body, transportId));
        MapTransportRoute(routes, "/plain/connect", (_, body) => ParsePlainConnect(body));
        MapTransportRoute(routes, "/producers", (transportId, body) => new Produce(transportId,
            StringProperty(body, "kind") ?? throw new ArgumentException("missing body.kind"),
            ObjectProperty(body, "rtpParameters") ?? throw new ArgumentException("missing body.rtpParameters"),
            null));
        MapTransportRoute(routes, "/consume/data", (_, body) => new ConsumeDataProducer(RequiredString(body, "dataProducerId")));
        MapTransportRoute(routes, "/produce/data", (transportId, body) => new ProduceData(transportId,
            ObjectProperty(body, "sctpStreamParameters") ?? throw new ArgumentException("missing body.sctpStreamParameters"),
            StringProperty(body, "label") ?? "",
            StringProperty(body, "protocol") ?? "",
            ObjectProperty(body, "appData")));
        routes.MapPost(Broadcaster + "/transports/{transportId}/consume", (HttpContext c, string roomId, string broadcasterId, string transportId) =>
        {
            var producerId = c.Request.Query["producerId"].ToString();
            return producerId.Length == 0
                ? HttpResults.WriteErrorAsync(c, CommandResult.TypeError("missing producerId"))
                : SendAsync(c, roomId, new BroadcasterTransportRequest(broadcasterId, transportId, new ConsumeProducer(producerId)));
        });

        routes.MapGet("/rooms/{roomId}/chensong", (HttpContext c, string roomId) => SendAsync(c, roomId, GetDataChannelDirectory.Instance));
        routes.MapGet("/rooms/{roomId}/AllDataProducers", (HttpContext c, string roomId) => SendAsync(c, roomId, GetDataChannelDirectory.Instance));
        routes.MapPost("/rooms/{roomId}/peerId/{peerId}/transports/{transportId}/consume/data",
            (HttpContext c, string roomId, string peerId, string transportId) => WithBodyAsync(c, body =>
                SendAsync(c, roomId, new PeerConsumeData(peerId, transportId, RequiredString(body, "dataProducerId")))));
        return routes;
    }

    /// <summary>A POST on one of the broadcaster's transports: the body parsed into the request the room handles.</summary>
    private static void MapTransportRoute(IEndpointRouteBuilder routes, string suffix, Func<string, JsonElement, object> parse) =>
        routes.MapPost(Broadcaster + "/transports/{transportId}" + suffix,
            (HttpContext c, string roomId, string broadcasterId, string transportId) => WithBodyAsync(c, body =>
                SendAsync(c, roomId, new BroadcasterTransportRequest(broadcasterId, transportId,
                    Validated(() => parse(transportId, body), error => new MalformedRequest(suffix, error))))));

    /// <summary>
    /// Bad fields are answered (400) only after the room checked the broadcaster and transport
    /// exist, as mediasoup-demo does: the room gets a <see cref="MalformedRequest"/> instead.
    /// </summary>
    private static object Validated(Func<object> parse, Func<string, object> malformed)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            return malformed(e.Message);
        }
    }

    private static object ParseCreateTransport(string broadcasterId, JsonElement body) => StringProperty(body, "type") switch
    {
        "webrtc" => new CreateBroadcasterWebRtcTransport(broadcasterId, ObjectProperty(body, "sctpCapabilities")),
        "plain" => new CreateBroadcasterPlainTransport(broadcasterId,
            RtcpMux: BoolProperty(body, "rtcpMux") ?? false,
            Comedia: BoolProperty(body, "comedia") ?? true,
            EnableSrtp: BoolProperty(body, "enableSrtp") ?? false,
            SrtpCryptoSuite: StringProperty(body, "srtpCryptoSuite")),
        _ => throw new ArgumentException("invalid type"),
    };

    private static ConnectPlainTransport ParsePlainConnect(JsonElement body)
    {
        int? Port(string name) => body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt32(out var port) && port is > 0 and <= 65535 ? port : throw new ArgumentException($"invalid body.{name}")
            : null;
        var srtp = ObjectProperty(body, "srtpParameters");
        return new ConnectPlainTransport(StringProperty(body, "ip"), Port("port"), Port("rtcpPort"),
            srtp is { } s ? StringProperty(s, "cryptoSuite") : null, srtp is { } k ? StringProperty(k, "keyBase64") : null, srtp is not null);
    }

    private static JsonElement? ObjectProperty(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.Clone()
            : null;

    private static bool? BoolProperty(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static CreateBroadcaster ParseCreateBroadcaster(JsonElement body)
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
            new { flag = "broadcaster", name = deviceName, version = StringProperty(device, "version") }, Actors.Peers.JsonData.Options);
        return new CreateBroadcaster(id, displayName, normalisedDevice, rtpCapabilities);
    }

    private static string? StringProperty(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string RequiredString(JsonElement obj, string name) =>
        StringProperty(obj, name) ?? throw new ArgumentException($"missing body.{name}");

    /// <summary>
    /// Reads the JSON body ({} when there is none); malformed JSON answers 400, a body over the
    /// limit 413 (as Express's body-parser), a field over its limit or a TypeError from the handler 400.
    /// </summary>
    private static async Task WithBodyAsync(HttpContext context, Func<JsonElement, Task> handle)
    {
        var limits = context.RequestServices.GetRequiredService<ClientLimits>();
        JsonElement body;
        try
        {
            body = await ReadBodyAsync(context.Request, limits.MaxMessageBytes);
        }
        catch (JsonException e)
        {
            await HttpResults.WriteErrorAsync(context, new CommandFailure(400, "SyntaxError", e.Message));
            return;
        }
        catch (BodyTooLargeException)
        {
            await HttpResults.WriteErrorAsync(context, new CommandFailure(413, "PayloadTooLargeError", "request entity too large"));
            return;
        }
        try
        {
            limits.CheckFields(body);
            await handle(body);
        }
        catch (ArgumentException e)
        {
            await HttpResults.WriteErrorAsync(context, CommandResult.TypeError(e.Message));
        }
    }

    private sealed class BodyTooLargeException : Exception;

    private static async Task<JsonElement> ReadBodyAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
            throw new BodyTooLargeException();
        using var reader = new StreamReader(request.Body);
        var buffer = new char[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length))) > 0)
            length += read;
        if (length > maxBytes)
            throw new BodyTooLargeException();
        var text = new string(buffer, 0, length);
        if (string.IsNullOrWhiteSpace(text))
            return JsonSerializer.SerializeToElement(new { });
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static readonly string[] RouteIds = ["roomId", "broadcasterId", "transportId", "peerId"];

    private static async Task SendAsync(HttpContext context, string roomId, object command)
    {
        var limits = context.RequestServices.GetRequiredService<ClientLimits>();
        foreach (var name in RouteIds)
        {
            // Routing leaves an encoded slash (%2F) encoded: the id is checked decoded too.
            if (context.Request.RouteValues[name] is string id && !(limits.IsValidId(id) && limits.IsValidId(Uri.UnescapeDataString(id))))
            {
                await HttpResults.WriteErrorAsync(context, CommandResult.TypeError(
                    $"invalid {name}: 1 to {limits.IdMaxLength} characters, none a control character or a slash"));
                return;
            }
        }
        var rooms = await context.RequestServices.GetRequiredService<IRequiredActor<RoomManagerActor>>().GetAsync(context.RequestAborted);
        CommandResult result;
        try
        {
            result = await rooms.Ask<CommandResult>(new RoomRequest(roomId, command), RoomTimeout);
        }
        catch (AskTimeoutException)
        {
            result = CommandResult.Error($"room with id \"{roomId}\" did not answer in time");
        }
        await HttpResults.WriteAsync(context, result);
    }
}
