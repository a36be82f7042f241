using Akka.Actor;
using Akka.Event;

namespace Actors.Rooms;

/// <summary>
/// Owns the map roomId → room actor. Being one actor, it serializes get-or-create: two peers
/// connecting at once to a new roomId end up in one room (protocol.md §6.1).
/// </summary>
public sealed class RoomManagerActor : ReceiveActor
{
    private sealed class RoomEntry(IActorRef room)
    {
        public IActorRef Room { get; } = room;
        public bool Stopping { get; set; }
        public List<(object Message, IActorRef Sender)> Held { get; } = new();
    }

    private readonly RoomSettings _settings;
    private readonly Dictionary<string, RoomEntry> _rooms = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _waitingForStop = new();
    private readonly IActorRef _openRooms;
    private bool _shuttingDown;

    public RoomManagerActor(RoomSettings settings)
    {
        _settings = settings;
        _openRooms = Context.ActorOf(OpenRoomsActor.Props(), OpenRoomsActor.Id);

        Receive<ConnectPeer>(c =>
        {
            if (_shuttingDown)
                Sender.Tell(CommandResult.Unavailable("server is shutting down"));
            else if (!_rooms.ContainsKey(c.RoomId) && _settings.MaxRooms > 0 && _rooms.Count >= _settings.MaxRooms)
                Sender.Tell(CommandResult.Unavailable($"too many rooms on this server (limit {_settings.MaxRooms})"));
            else
                Deliver(c.RoomId, c, Sender);
        });
        Receive<RoomRequest>(r =>
        {
            if (_rooms.TryGetValue(r.RoomId, out var entry) && !entry.Stopping)
                entry.Room.Tell(r.Command, Sender);
            else
                Sender.Tell(CommandResult.NotFound($"room with id \"{r.RoomId}\" not found"));
        });
        Receive<RoomIdle>(idle =>
        {
            if (_rooms.TryGetValue(idle.RoomId, out var entry) && Equals(entry.Room, Sender))
            {
                entry.Stopping = true;
                entry.Room.Tell(StopIfIdle.Instance);
            }
        });
        Receive<RoomActive>(active =>
        {
            if (_rooms.TryGetValue(active.RoomId, out var entry) && Equals(entry.Room, Sender))
            {
                entry.Stopping = false;
                Release(entry);
            }
        });
        Receive<GetRooms>(_ => Sender.Tell(new RoomList(_rooms.Values.Select(entry => entry.Room).ToList())));
        Receive<OpenRoomsRecovered>(OnOpenRoomsRecovered);
        Receive<Terminated>(OnRoomTerminated);
        Receive<StopAllRooms>(_ =>
        {
            _shuttingDown = true;
            _waitingForStop.Add(Sender);
            foreach (var entry in _rooms.Values)
                Context.Stop(entry.Room);
            ReportStoppedIfDone();
        });
    }

    private void ReportStoppedIfDone()
    {
        if (!_shuttingDown || _rooms.Count > 0)
            return;
        foreach (var waiting in _waitingForStop)
            waiting.Tell(RoomsStopped.Instance);
        _waitingForStop.Clear();
    }

    /// <summary>
    /// A room that fails, whatever the failure (even Kill), restarts alone from its journal: its
    /// sessions close with 1001 so protoo-client reconnects them as returning members, and no
    /// other room notices. A room failing over and over within a minute is stopped instead.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: cause =>
        {
            _log.Error(cause, "a room failed: restarting it from its journal");
            return cause is ActorInitializationException ? Directive.Stop : Directive.Restart;
        });

    public static Props Props(RoomSettings settings) => FactoryProps.Of(() => new RoomManagerActor(settings));

    private void Deliver(string roomId, object message, IActorRef sender)
    {
        if (!_rooms.TryGetValue(roomId, out var entry))
            entry = StartRoom(roomId);
        if (entry.Stopping)
            entry.Held.Add((message, sender));
        else
            entry.Room.Tell(message, sender);
    }

    private RoomEntry StartRoom(string roomId)
    {
        var name = "room-" + Uri.EscapeDataString(roomId);
        var room = ActorPath.IsValidPathElement(name)
            ? Context.ActorOf(RoomActor.Props(roomId, _settings), name)
            : Context.ActorOf(RoomActor.Props(roomId, _settings));
        Context.Watch(room);
        var entry = new RoomEntry(room);
        _rooms[roomId] = entry;
        _openRooms.Tell(new RememberOpenRoom(roomId));
        return entry;
    }

    /// <summary>
    /// After a crash or restart: start the rooms that were open, so each records its recovery and
    /// gives its peers the rejoin grace period. One that turns out closed stops again (StopIfIdle).
    /// </summary>
    private void OnOpenRoomsRecovered(OpenRoomsRecovered recovered)
    {
        if (_shuttingDown)
            return;
        foreach (var roomId in recovered.RoomIds.Where(id => !_rooms.ContainsKey(id)))
        {
            _log.Info("room {0} was open when the server stopped: recovering it", roomId);
            var entry = StartRoom(roomId);
            entry.Stopping = true;
            entry.Room.Tell(StopIfIdle.Instance);
        }
    }

    private void OnRoomTerminated(Terminated terminated)
    {
        var (roomId, entry) = _rooms.FirstOrDefault(pair => Equals(pair.Value.Room, terminated.ActorRef));
        if (entry is null)
            return;
        _rooms.Remove(roomId);
        ReportStoppedIfDone();
        if (_shuttingDown)
            return;
        _openRooms.Tell(new ForgetOpenRoom(roomId));
        if (entry.Held.Count == 0)
            return;
        _log.Info("room {0} stopped with connections waiting: starting it again", roomId);
        var restarted = StartRoom(roomId);
        restarted.Held.AddRange(entry.Held);
        Release(restarted);
    }

    private static void Release(RoomEntry entry)
    {
        foreach (var (message, sender) in entry.Held)
            entry.Room.Tell(message, sender);
        entry.Held.Clear();
    }
}
