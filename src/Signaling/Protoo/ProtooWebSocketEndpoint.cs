using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Signaling.Protoo;

/// <summary>
/// The protoo WebSocket server (protocol.md §1.2): any path, subprotocol "protoo",
/// roomId and peerId from the query string.
/// </summary>
public static class ProtooWebSocketEndpoint
{
    public const string SubProtocol = "protoo";
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AttachTimeout = TimeSpan.FromSeconds(15);

    /// <param name="acceptOn">Which requests may open a protoo socket (the HTTPS listener only, as in the seed).</param>
    /// <param name="limits">What one connection may cost (server.client-limits).</param>
    public static IApplicationBuilder UseProtooWebSockets(this IApplicationBuilder app, Func<HttpContext, bool> acceptOn, ClientLimits limits)
    {
        app.UseWebSockets();
        var connections = new ConnectionsByAddress(limits.ConnectionsPerAddress);
        return app.Use(async (context, next) =>
        {
            if (!context.WebSockets.IsWebSocketRequest || !acceptOn(context))
            {
                await next(context);
                return;
            }
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "";
            if (!connections.TryOpen(address))
            {
                await RejectAsync(context, StatusCodes.Status429TooManyRequests,
                    $"too many connections from this address (limit {limits.ConnectionsPerAddress})");
                return;
            }
            try
            {
                await HandleAsync(context, limits);
            }
            finally
            {
                connections.Close(address);
            }
        });
    }

    private static async Task HandleAsync(HttpContext context, ClientLimits limits)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Protoo");
        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, "invalid/missing Sec-WebSocket-Protocol");
            return;
        }
        var roomId = context.Request.Query["roomId"].ToString();
        var peerId = context.Request.Query["peerId"].ToString();
        if (roomId.Length == 0 || peerId.Length == 0)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, "Connection request without roomId and/or peerId");
            return;
        }
        if (!limits.IsValidId(roomId) || !limits.IsValidId(peerId))
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest,
                $"roomId and peerId must have 1 to {limits.IdMaxLength} characters, none a control character or a slash");
            return;
        }
        var policy = context.RequestServices.GetService<AccessPolicy>() ?? AccessPolicy.Open;
        var (permissions, refusedWith, refusal) = await policy.AdmitPeerAsync(context.Request.Query["token"].ToString(), roomId, peerId);
        if (refusal is not null)
        {
            await RejectAsync(context, refusedWith, refusal);
            return;
        }
        var consumerReplicas = int.TryParse(context.Request.Query["consumerReplicas"], out var replicas) && replicas > 0 ? replicas : 0;
        var remoteAddress = context.Connection.RemoteIpAddress?.ToString();
        logger.LogInformation("protoo connection request [roomId:{RoomId}, peerId:{PeerId}, address:{Address}]", roomId, peerId, remoteAddress);

        var rooms = await context.RequestServices.GetRequiredService<IRequiredActor<RoomManagerActor>>().GetAsync(context.RequestAborted);
        var connection = new ProtooConnection(logger, $"peer {peerId}@{roomId}", limits);
        var session = context.RequestServices.GetRequiredService<ActorSystem>().ActorOf(PeerSessionActor.Props(peerId, rooms, connection));
        object attached;
        try
        {
            attached = await session.Ask<object>(new ConnectPeer(roomId, peerId, consumerReplicas, remoteAddress, permissions), AttachTimeout);
        }
        catch (AskTimeoutException)
        {
            session.Tell(PoisonPill.Instance);
            attached = CommandResult.Error("room did not answer in time");
        }
        if (attached is not PeerAttached)
        {
            var failure = attached as CommandFailure;
            await RejectAsync(context, failure?.Code is >= 400 and < 600 and var code ? code : StatusCodes.Status500InternalServerError,
                failure?.Message ?? "room creation failed");
            return;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = SubProtocol,
                KeepAliveInterval = KeepAliveInterval,
                KeepAliveTimeout = KeepAliveTimeout,
            });
            // On shutdown the rooms stop first and close their peers' sockets (1001): the reader
            // must not end by itself before that, or the shutdown would be journaled as departures.
            await connection.RunAsync(socket, session, context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "protoo connection of peer {PeerId} in room {RoomId} failed", peerId, roomId);
            session.Tell(ConnectionClosed.Instance);
        }
    }

    private static async Task RejectAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        var feature = context.Features.Get<IHttpResponseFeature>();
        if (feature is not null)
            feature.ReasonPhrase = reason;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(reason);
    }
}
