using System.Globalization;
using System.Text.Json;
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
/// GET /rooms/:roomId/history[?from=SEQ][&amp;limit=N][&amp;to=SEQ][&amp;at=ISO_TIME][&amp;state=true]: one page of
/// the room's journal as JSON, whether the room is running or long closed, written as it is read:
/// {roomId, events, next (the page after, or null), state (the room after the page's last event,
/// when asked)}. 404 when the journal has nothing for it. Remote addresses are shown to operators only.
/// </summary>
public static class RoomHistoryApi
{
    private const string Redacted = "(redacted)";

    public static IEndpointRouteBuilder MapRoomHistoryApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/rooms/{roomId}/history", async (HttpContext c, string roomId) =>
        {
            var limits = c.RequestServices.GetRequiredService<ClientLimits>();
            var query = c.Request.Query;
            if (!TryNumber(query, "from", 1, out var from) || !TryNumber(query, "to", long.MaxValue, out var to)
                || !TryNumber(query, "limit", limits.HistoryPageMax, out var limit) || limit < 1 || limit > limits.HistoryPageMax)
            {
                await HttpResults.WriteErrorAsync(c, CommandResult.TypeError(
                    $"from and to must be sequence numbers, limit a number from 1 to {limits.HistoryPageMax}"));
                return;
            }
            DateTimeOffset? at = null;
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
            var showAddresses = (c.RequestServices.GetService<AccessPolicy>() ?? AccessPolicy.Open).IsOperator(c);

            var system = c.RequestServices.GetRequiredService<ActorSystem>();
            Utf8JsonWriter? writer = null;
            long lastSequenceNr = 0;
            var (state, count) = await RoomHistory.StreamAsync(system, roomId, from, (int)limit, to, at, withState, async entry =>
            {
                writer ??= await StartAsync(c, roomId);
                var json = RoomHistory.ToJson(entry, withState: false);
                Redact(json, showAddresses);
                json.WriteTo(writer, RoomJson.Options);
                lastSequenceNr = entry.SequenceNr;
                if (writer.BytesPending > 32 * 1024)
                    await writer.FlushAsync(c.RequestAborted);
            }, c.RequestAborted);
            if (writer is null)
            {
                if (from <= 1)
                {
                    await HttpResults.WriteErrorAsync(c, CommandResult.NotFound($"room with id \"{roomId}\" not found"));
                    return;
                }
                writer = await StartAsync(c, roomId);
            }
            await using (writer)
            {
                writer.WriteEndArray();
                if (count == limit && lastSequenceNr < to)
                    writer.WriteNumber("next", lastSequenceNr + 1);
                else
                    writer.WriteNull("next");
                if (withState && count > 0)
                {
                    writer.WritePropertyName("state");
                    var stateJson = JsonSerializer.SerializeToNode(state, RoomJson.Options)!;
                    Redact(stateJson, showAddresses);
                    stateJson.WriteTo(writer, RoomJson.Options);
                }
                writer.WriteEndObject();
                await writer.FlushAsync(c.RequestAborted);
            }
        });
        return routes;
    }

    private static async Task<Utf8JsonWriter> StartAsync(HttpContext c, string roomId)
    {
        c.Response.ContentType = "application/json; charset=utf-8";
        await c.Response.StartAsync(c.RequestAborted);
        var writer = new Utf8JsonWriter(c.Response.Body, new JsonWriterOptions { Encoder = RoomJson.Options.Encoder });
        writer.WriteStartObject();
        writer.WriteString("roomId", roomId);
        writer.WriteStartArray("events");
        return writer;
    }

    private static bool TryNumber(IQueryCollection query, string name, long fallback, out long value)
    {
        value = fallback;
        return !query.TryGetValue(name, out var text) || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0);
    }

    /// <summary>
    /// Plain transports' SRTP keys are journaled (a restart restores the transports with them) but not
    /// served here, to whoever asks: the replay command, reading the database, shows them. Peers'
    /// remote addresses are served to operators only.
    /// </summary>
    private static void Redact(JsonNode? node, bool showAddresses)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var name in json.Select(property => property.Key).ToList())
                {
                    if (json[name] is not null && (name.EndsWith("KeyBase64", StringComparison.OrdinalIgnoreCase) || (!showAddresses && name == "remoteAddress")))
                        json[name] = Redacted;
                    else
                        Redact(json[name], showAddresses);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                    Redact(item, showAddresses);
                break;
        }
    }
}
