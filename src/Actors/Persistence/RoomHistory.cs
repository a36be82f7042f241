using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Rooms;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Actors.Persistence;

/// <summary>One journal entry of a room and the room's state right after it.</summary>
public sealed record HistoryEntry(long SequenceNr, DateTimeOffset Timestamp, IRoomEvent Event, RoomState StateAfter)
{
    /// <summary>The event's type name without its schema version ("PeerJoined").</summary>
    public string Type => RoomEventSerializer.EventTypeName(Event);
}

/// <summary>
/// Reads a room's events from the journal (any Akka.Persistence.Sql database) and folds them,
/// up to a sequence number and/or a point in time. Used by the replay command and by
/// GET /rooms/:roomId/history.
/// </summary>
public static class RoomHistory
{
    public static async Task<IReadOnlyList<HistoryEntry>> ReadAsync(
        ActorSystem system, string roomId, long toSequenceNr = long.MaxValue, DateTimeOffset? at = null)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var envelopes = await journal
            .CurrentEventsByPersistenceId(RoomActor.PersistenceIdFor(roomId), 0, toSequenceNr)
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());

        var state = RoomState.Empty(roomId);
        var entries = new List<HistoryEntry>(envelopes.Count);
        foreach (var envelope in envelopes)
        {
            var roomEvent = (IRoomEvent)envelope.Event;
            if (at is not null && roomEvent.Timestamp > at)
                break;
            state = state.Apply(roomEvent);
            entries.Add(new HistoryEntry(envelope.SequenceNr, roomEvent.Timestamp, roomEvent, state));
        }
        return entries;
    }

    /// <summary>{sequenceNr, timestamp, type, manifest, event[, state]}: the shape of replay --json and of the HTTP history.</summary>
    public static JsonObject ToJson(HistoryEntry entry, bool withState)
    {
        var json = new JsonObject
        {
            ["sequenceNr"] = entry.SequenceNr,
            ["timestamp"] = JsonSerializer.SerializeToNode(entry.Timestamp, RoomJson.Options),
            ["type"] = entry.Type,
            ["manifest"] = RoomEventSerializer.ManifestOf(entry.Event),
            ["event"] = JsonSerializer.SerializeToNode(entry.Event, entry.Event.GetType(), RoomJson.Options),
        };
        if (withState)
            json["state"] = JsonSerializer.SerializeToNode(entry.StateAfter, RoomJson.Options);
        return json;
    }
}
