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
            WithBodyAsync(c, body => SendAsync(c, roomId, BroadcasterBodies.CreateBroadcaster(body))));
        routes.MapDelete(Broadcaster, (HttpContext c, string roomId, string broadcasterId) =>
            SendAsync(c, roomId, new DeleteBroadcaster(broadcasterId)));
        routes.MapGet(Broadcaster, (HttpContext c, string roomId, string broadcasterId) =>
            SendAsync(c, roomId, new DeleteBroadcaster(broadcasterId)));

        routes.MapPost(Broadcaster + "/transports", (HttpContext c, string roomId, string broadcasterId) =>
            WithBodyAsync(c, body => SendAsync(c, roomId, Validated(() => BroadcasterBodies.CreateTransport(broadcasterId, body),
                IRoomCommand (error) => new BroadcasterTransportRequest(broadcasterId, "", new MalformedRequest("createTransport", error))))));
        MapTransportRoute(routes, "/connect", (transportId, body) => ProtooRequestMapper.ParseConnect(body, transportId));
        MapTransportRoute(routes, "/plain/connect", (_, body) => BroadcasterBodies.ConnectPlain(body));
        MapTransportRoute(routes, "/producers", BroadcasterBodies.Produce);
        MapTransportRoute(routes, "/consume/data", (_, body) => BroadcasterBodies.ConsumeData(body));
        MapTransportRoute(routes, "/produce/data", BroadcasterBodies.ProduceData);
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
                SendAsync(c, roomId, new PeerConsumeData(peerId, transportId, BroadcasterBodies.ConsumeData(body).DataProducerId))));
        return routes;
    }

    /// <summary>A POST on one of the broadcaster's transports: the body parsed into the request the room handles.</summary>
    private static void MapTransportRoute(IEndpointRouteBuilder routes, string suffix, Func<string, JsonElement, IPeerRequest> parse) =>
        routes.MapPost(Broadcaster + "/transports/{transportId}" + suffix,
            (HttpContext c, string roomId, string broadcasterId, string transportId) => WithBodyAsync(c, body =>
                SendAsync(c, roomId, new BroadcasterTransportRequest(broadcasterId, transportId,
                    Validated(() => parse(transportId, body), IPeerRequest (error) => new MalformedRequest(suffix, error))))));

    /// <summary>
    /// Bad fields are answered (400) only after the room checked the broadcaster and transport
    /// exist, as mediasoup-demo does: the room gets a <see cref="MalformedRequest"/> instead.
    /// </summary>
    private static T Validated<T>(Func<T> parse, Func<string, T> malformed)
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
        return BroadcasterBodies.ParseJson(new string(buffer, 0, length));
    }

    private static readonly string[] RouteIds = ["roomId", "broadcasterId", "transportId", "peerId"];

    private static async Task SendAsync(HttpContext context, string roomId, IRoomCommand command)
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
