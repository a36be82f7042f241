using Actors.Rooms;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace SfuHost.Replay;

/// <summary>One journal entry of a room and the room's state right after it.</summary>
public sealed record HistoryEntry(long SequenceNr, DateTimeOffset Timestamp, IRoomEvent Event, RoomState StateAfter);

/// <summary>Reads a room's events from the journal (any Akka.Persistence.Sql database) and folds them.</summary>
public static class RoomHistory
{
    public static async Task<IReadOnlyList<HistoryEntry>> ReadAsync(ActorSystem system, string roomId, long toSequenceNr = long.MaxValue)
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
            state = state.Apply(roomEvent);
            entries.Add(new HistoryEntry(envelope.SequenceNr, roomEvent.Timestamp, roomEvent, state));
        }
        return entries;
    }
}
