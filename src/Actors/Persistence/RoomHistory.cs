using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Rooms;
using Akka;
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

    /// <summary>
    /// Streams the room's events from <paramref name="fromSequenceNr"/> on, at most
    /// <paramref name="limit"/>, up to <paramref name="toSequenceNr"/> and the time
    /// <paramref name="at"/>, to <paramref name="onEntry"/>, one at a time (the journal is read as it
    /// is consumed, never held whole). With <paramref name="foldState"/> the events before
    /// <paramref name="fromSequenceNr"/> are read too, to give each entry its state; without it
    /// <see cref="HistoryEntry.StateAfter"/> is the empty room.
    /// </summary>
    /// <returns>The state after the last entry passed (with <paramref name="foldState"/>), and how many were passed.</returns>
    public static async Task<(RoomState State, int Count)> StreamAsync(ActorSystem system, string roomId, long fromSequenceNr, int limit,
        long toSequenceNr, DateTimeOffset? at, bool foldState, Func<HistoryEntry, Task> onEntry, CancellationToken cancellation)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var first = Math.Max(1, fromSequenceNr);
        var last = Math.Min(toSequenceNr, first + limit - 1);
        var state = RoomState.Empty(roomId);
        var count = 0;
        await journal
            .CurrentEventsByPersistenceId(RoomActor.PersistenceIdFor(roomId), foldState ? 0 : first, last)
            .Select(envelope => (envelope.SequenceNr, Event: (IRoomEvent)envelope.Event))
            .TakeWhile(e => at is null || e.Event.Timestamp <= at)
            .SelectAsync(1, async e =>
            {
                if (foldState)
                    state = state.Apply(e.Event);
                if (e.SequenceNr >= first)
                {
                    await onEntry(new HistoryEntry(e.SequenceNr, e.Event.Timestamp, e.Event, state));
                    count++;
                }
                return NotUsed.Instance;
            })
            .RunWith(Sink.Ignore<NotUsed>(), system.Materializer())
            .WaitAsync(cancellation);
        return (state, count);
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
