using System.Collections.Immutable;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace Actors.Rooms;

/// <summary>Journal entries of the open-rooms directory (not room history: a persistence id of its own).</summary>
public interface IOpenRoomsEvent;

public sealed record OpenRoomAdded(string RoomId) : IOpenRoomsEvent;

public sealed record OpenRoomRemoved(string RoomId) : IOpenRoomsEvent;

public sealed record OpenRoomsSnapshot(IReadOnlyList<string> RoomIds);

/// <summary>Manager → directory: a room actor runs for this room id.</summary>
public sealed record RememberOpenRoom(string RoomId);

/// <summary>Manager → directory: the room closed (not: the server stopped it).</summary>
public sealed record ForgetOpenRoom(string RoomId);

/// <summary>Directory → manager after its recovery: the rooms that were open when the server last stopped, however it stopped.</summary>
public sealed record OpenRoomsRecovered(IReadOnlyList<string> RoomIds);

/// <summary>
/// Which rooms are open, kept in the journal so that after a crash or restart the manager
/// starts those rooms at once: each recovers, records the gap and waits for its peers for the
/// rejoin grace period, even if none of them ever comes back.
/// </summary>
public sealed class OpenRoomsActor : ReceivePersistentActor
{
    public const string Id = "open-rooms";
    private const int SnapshotEvery = 200;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ImmutableHashSet<string> _open = ImmutableHashSet<string>.Empty;

    public OpenRoomsActor()
    {
        Recover<SnapshotOffer>(offer => _open = ((OpenRoomsSnapshot)offer.Snapshot).RoomIds.ToImmutableHashSet());
        Recover<IOpenRoomsEvent>(Apply);
        Recover<RecoveryCompleted>(_ => Context.Parent.Tell(new OpenRoomsRecovered(_open.Order(StringComparer.Ordinal).ToList())));

        Command<RememberOpenRoom>(r =>
        {
            if (!_open.Contains(r.RoomId))
                Persist(new OpenRoomAdded(r.RoomId), Persisted);
        });
        Command<ForgetOpenRoom>(f =>
        {
            if (_open.Contains(f.RoomId))
                Persist(new OpenRoomRemoved(f.RoomId), Persisted);
        });
        Command<SaveSnapshotSuccess>(s => DeleteMessages(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => _log.Warning("open rooms: snapshot failed: {0}", f.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning("open rooms: deleting old entries failed: {0}", f.Cause.Message));
    }

    public override string PersistenceId => Id;

    public static Props Props() => FactoryProps.Of(() => new OpenRoomsActor());

    private void Persisted(IOpenRoomsEvent e)
    {
        Apply(e);
        if (LastSequenceNr % SnapshotEvery == 0)
            SaveSnapshot(new OpenRoomsSnapshot(_open.ToList()));
    }

    private void Apply(IOpenRoomsEvent e) => _open = e switch
    {
        OpenRoomAdded added => _open.Add(added.RoomId),
        OpenRoomRemoved removed => _open.Remove(removed.RoomId),
        _ => _open,
    };
}
