using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;
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
            WithBodyAsync(c, body => SendAsync(c, roomId,
                new CreateBroadcasterTransport(broadcasterId, StringProperty(body, "type") ?? "", body))));
        MapTransportAction(routes, "/connect", BroadcasterTransportAction.Connect);
        MapTransportAction(routes, "/producers", BroadcasterTransportAction.Produce);
        MapTransportAction(routes, "/consume/data", BroadcasterTransportAction.ConsumeData);
        MapTransportAction(routes, "/produce/data", BroadcasterTransportAction.ProduceData);
        routes.MapPost(Broadcaster + "/transports/{transportId}/consume", (HttpContext c, string roomId, string broadcasterId, string transportId) =>
        {
            var producerId = c.Request.Query["producerId"].ToString();
            return producerId.Length == 0
                ? HttpResults.WriteErrorAsync(c, CommandResult.TypeError("missing producerId"))
                : WithBodyAsync(c, body => SendAsync(c, roomId,
                    new BroadcasterTransportRequest(broadcasterId, transportId, BroadcasterTransportAction.Consume, body, producerId)));
        });

        routes.MapGet("/rooms/{roomId}/chensong", (HttpContext c, string roomId) => SendAsync(c, roomId, GetDataChannelDirectory.Instance));
        routes.MapGet("/rooms/{roomId}/AllDataProducers", (HttpContext c, string roomId) => SendAsync(c, roomId, GetDataChannelDirectory.Instance));
        routes.MapPost("/rooms/{roomId}/peerId/{peerId}/transports/{transportId}/consume/data",
            (HttpContext c, string roomId, string peerId, string transportId) => WithBodyAsync(c, body =>
                SendAsync(c, roomId, new PeerConsumeData(peerId, transportId, RequiredString(body, "dataProducerId")))));
        return routes;
    }

    private static void MapTransportAction(IEndpointRouteBuilder routes, string suffix, BroadcasterTransportAction action) =>
        routes.MapPost(Broadcaster + "/transports/{transportId}" + suffix,
            (HttpContext c, string roomId, string broadcasterId, string transportId) => WithBodyAsync(c, body =>
                SendAsync(c, roomId, new BroadcasterTransportRequest(broadcasterId, transportId, action, body))));

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
            new { flag = "broadcaster", name = deviceName, version = StringProperty(device, "version") }, WireJson.Options);
        return new CreateBroadcaster(id, displayName, normalisedDevice, rtpCapabilities);
    }

    private static string? StringProperty(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string RequiredString(JsonElement obj, string name) =>
        StringProperty(obj, name) ?? throw new ArgumentException($"missing body.{name}");

    /// <summary>Reads the JSON body ({} when there is none); malformed JSON answers 400, a TypeError from the handler too.</summary>
    private static async Task WithBodyAsync(HttpContext context, Func<JsonElement, Task> handle)
    {
        JsonElement body;
        try
        {
            body = await ReadBodyAsync(context.Request);
        }
        catch (JsonException e)
        {
            await HttpResults.WriteErrorAsync(context, new CommandFailure(400, "SyntaxError", e.Message));
            return;
        }
        try
        {
            await handle(body);
        }
        catch (ArgumentException e)
        {
            await HttpResults.WriteErrorAsync(context, CommandResult.TypeError(e.Message));
        }
    }

    private static async Task<JsonElement> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(text))
            return JsonSerializer.SerializeToElement(new { });
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static async Task SendAsync(HttpContext context, string roomId, object command)
    {
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
