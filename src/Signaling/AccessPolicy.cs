using System.Net;
using Actors.Peers;
using Actors.Rooms;
using Signaling.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Signaling;

/// <summary>
/// Who may do what, when access tokens are configured: a protoo connection needs a token for its
/// room and peer id with the join permission (its other permissions go with it to the room); the
/// HTTP API of a room needs a Bearer token for that room (join) or an admin one; history,
/// metrics and the cluster's view need an admin token, except on a connection to a loopback address when allowed.
/// Without tokens everyone may do everything, as in mediasoup-demo.
/// </summary>
public sealed class AccessPolicy(AccessTokens? tokens, bool operatorRoutesOnLoopback)
{
    public static readonly AccessPolicy Open = new(null, true);

    public bool Enabled => tokens is not null;

    /// <summary>A protoo connection's permissions (null without tokens), or why it is refused (HTTP status and reason).</summary>
    public async Task<(IReadOnlyList<string>? Permissions, int Status, string? Refusal)> AdmitPeerAsync(string? token, string roomId, string peerId)
    {
        if (tokens is null)
            return (null, 0, null);
        if (string.IsNullOrEmpty(token))
            return (null, StatusCodes.Status401Unauthorized, "access token required (token=… in the URL)");
        var (grant, error) = await tokens.ValidateAsync(token);
        if (grant is null)
            return (null, StatusCodes.Status401Unauthorized, error);
        if (!grant.CoversRoom(roomId))
            return (null, StatusCodes.Status403Forbidden, "access token is for another room");
        if (grant.Peer != peerId)
            return (null, StatusCodes.Status403Forbidden, "access token is for another peer");
        if (!grant.Can(Permission.Join))
            return (null, StatusCodes.Status403Forbidden, "access token does not allow join");
        return (grant.Permissions.Order(StringComparer.Ordinal).ToList(), 0, null);
    }

    /// <summary>
    /// Whether the request comes from an operator: on a connection to a loopback address (while
    /// operator-routes-on-loopback is on), or with an admin token.
    /// </summary>
    public bool IsOperator(HttpContext context) =>
        (operatorRoutesOnLoopback && context.Connection.LocalIpAddress is { } local && IPAddress.IsLoopback(local))
        || (context.Items.TryGetValue(typeof(AccessGrant), out var grant) && ((AccessGrant)grant!).Can(Permission.Admin));

    /// <summary>Checks the HTTP API's requests (not WebSocket upgrades, not the web client's files).</summary>
    public void UseOnHttpApi(IApplicationBuilder app)
    {
        if (tokens is null)
            return;
        app.Use(async (context, next) =>
        {
            var route = RouteOf(context.Request.Path.Value ?? "");
            if (context.WebSockets.IsWebSocketRequest || route is null)
            {
                await next(context);
                return;
            }
            var (roomId, operatorRoute) = route.Value;
            if (operatorRoute && IsOperator(context))
            {
                await next(context);
                return;
            }
            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                await HttpResults.WriteErrorAsync(context, CommandResult.Unauthorized("access token required (Authorization: Bearer …)"));
                return;
            }
            var (grant, error) = await tokens.ValidateAsync(header["Bearer ".Length..].Trim());
            if (grant is null)
            {
                await HttpResults.WriteErrorAsync(context, CommandResult.Unauthorized(error!));
                return;
            }
            context.Items[typeof(AccessGrant)] = grant;
            var allowed = grant.Can(Permission.Admin)
                || (!operatorRoute && roomId is not null && grant.CoversRoom(roomId) && grant.Can(Permission.Join));
            if (!allowed)
            {
                await HttpResults.WriteErrorAsync(context, CommandResult.Forbidden(operatorRoute ? "an admin access token is required" : "access token is for another room"));
                return;
            }
            await next(context);
        });
    }

    /// <summary>The room an API path names and whether it is an operator route; null for a path that is neither (static files).</summary>
    private static (string? RoomId, bool OperatorRoute)? RouteOf(string path)
    {
        if (path is "/metrics" or "/cluster")
            return (null, true);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || segments[0] != "rooms")
            return null;
        return (Uri.UnescapeDataString(segments[1]), segments.Length >= 3 && segments[2] == "history");
    }
}
