using System.Globalization;
using System.Text.Json.Nodes;
using Actors.Persistence;
using Actors.Rooms;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Signaling.Http;

/// <summary>
/// GET /rooms/:roomId/history[?to=SEQ][&amp;at=ISO_TIME][&amp;state=true]: the room's journal as JSON,
/// whether the room is running or long closed; 404 when the journal has nothing for it.
/// </summary>
public static class RoomHistoryApi
{
    public static IEndpointRouteBuilder MapRoomHistoryApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/rooms/{roomId}/history", async (HttpContext c, string roomId) =>
        {
            var query = c.Request.Query;
            var to = long.MaxValue;
            DateTimeOffset? at = null;
            if (query.TryGetValue("to", out var toText) && !long.TryParse(toText, CultureInfo.InvariantCulture, out to))
            {
                await HttpResults.WriteErrorAsync(c, CommandResult.TypeError("to must be a sequence number"));
                return;
            }
            if (query.TryGetValue("at", out var atText))
            {
                if (!DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    await HttpResults.WriteErrorAsync(c, CommandResult.TypeError("at must be an ISO-8601 time"));
                    return;
                }
                at = time;
            }
            var withState = query.TryGetValue("state", out var stateText) && stateText == "true";

            var system = c.RequestServices.GetRequiredService<ActorSystem>();
            var history = await RoomHistory.ReadAsync(system, roomId, to, at);
            if (history.Count == 0)
            {
                await HttpResults.WriteErrorAsync(c, CommandResult.NotFound($"room with id \"{roomId}\" not found"));
                return;
            }
            var events = new JsonArray();
            foreach (var entry in history)
            {
                var json = RoomHistory.ToJson(entry, withState);
                RedactKeys(json);
                events.Add(json);
            }
            var body = new JsonObject { ["roomId"] = roomId, ["events"] = events };
            c.Response.ContentType = "application/json; charset=utf-8";
            await c.Response.WriteAsync(body.ToJsonString(RoomJson.Options));
        });
        return routes;
    }

    /// <summary>
    /// Plain transports' SRTP keys are journaled (a restart restores the transports with them) but not
    /// served here, to whoever asks: the replay command, reading the database, shows them.
    /// </summary>
    private static void RedactKeys(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var name in json.Select(property => property.Key).ToList())
                {
                    if (name.EndsWith("KeyBase64", StringComparison.OrdinalIgnoreCase) && json[name] is not null)
                        json[name] = "(redacted)";
                    else
                        RedactKeys(json[name]);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                    RedactKeys(item);
                break;
        }
    }
}
