using Akka.Actor;
using Akka.Event;

namespace Actors.Rooms;

/// <summary>
/// A room that comes back from its journal (server crash or restart, or a supervisor restart of
/// this actor): the gap is recorded as <see cref="RoomRecovered"/>, the previous transports are
/// closed (media does not survive) except broadcasters' plain ones (RoomActor.Restore.cs), returning members are recognised (<see cref="PeerRejoined"/>),
/// and members that stay away longer than the rejoin grace period leave with "rejoin-timeout".
/// </summary>
public sealed partial class RoomActor
{
    public static readonly TimeSpan DefaultRejoinGracePeriod = TimeSpan.FromSeconds(30);

    private sealed record RecordRecovery
    {
        public static readonly RecordRecovery Instance = new();
    }

    private sealed record RejoinGraceExpired
    {
        public static readonly RejoinGraceExpired Instance = new();
    }

    private Exception? _restartCause;
    private DateTimeOffset? _lastEventAt;
    private bool _recoveryToRecord;
    private readonly HashSet<string> _awaitingRejoin = new();
    private ICancelable? _rejoinGraceTimer;

    private TimeSpan RejoinGracePeriod => _settings.RejoinGracePeriod ?? DefaultRejoinGracePeriod;

    private void RegisterRecoveryCommands()
    {
        Command<RecordRecovery>(_ => RecordRecoveryThen(() => { }));
        Command<RejoinGraceExpired>(_ => RecordRecoveryThen(RemoveAbsentMembers));
    }

    protected override void PostRestart(Exception reason)
    {
        // Runs before the replay starts, so the recovery knows it follows a failure of this actor.
        _restartCause = reason;
        base.PostRestart(reason);
    }

    private void OnRecovered()
    {
        _log.Info("room {0} recovered: open={1}, {2} peers in state", _roomId, _state.Open, _state.Peers.Count);
        ReconcileNodePlaces();
        OnShardedRecovery();
        if (!_state.Open)
            return;
        foreach (var peer in _state.Peers)
            _awaitingRejoin.Add(peer.Id);
        _recoveryToRecord = true;
        Self.Tell(RecordRecovery.Instance);
        _rejoinGraceTimer = Context.System.Scheduler.ScheduleTellOnceCancelable(RejoinGracePeriod, Self, RejoinGraceExpired.Instance, Self);
        RestoreBroadcasterMedia();
    }

    /// <summary>Journals the recovery (once, before anything else happens in the recovered room), then runs <paramref name="then"/>.</summary>
    private void RecordRecoveryThen(Action then)
    {
        if (!_recoveryToRecord)
        {
            then();
            return;
        }
        _recoveryToRecord = false;
        var now = DateTimeOffset.UtcNow;
        var cause = _restartCause is null ? "server restarted" : $"room actor restarted: {_restartCause.GetType().Name}: {_restartCause.Message}";
        var events = new List<IRoomEvent>
        {
            new RoomRecovered(cause, _lastEventAt, _awaitingRejoin.ToList(), RejoinGracePeriod.TotalSeconds, now),
        };
        // Broadcasters' plain transports that were restored stay; their others (WebRTC, or a port now taken) close.
        events.AddRange(_state.Members.SelectMany(p => p.Transports
            .Where(t => !_liveTransports.ContainsKey(t.Id))
            .Select(t => (IRoomEvent)new TransportClosed(p.Id, t.Id,
                _restoreFailures.TryGetValue(t.Id, out var why) ? $"{cause}; not restored: {why}" : cause, now))));
        _log.Warning("room {0}: {1}; down since {2:o}, waiting {3} s for {4} peer(s) to rejoin",
            _roomId, cause, _lastEventAt, RejoinGracePeriod.TotalSeconds, _awaitingRejoin.Count);
        PersistThen(events, then);
    }

    /// <summary>A member of the room before its recovery connects again (no live session): the same member, back without media.</summary>
    private bool IsReturningMember(string peerId) => SessionOf(peerId) is null && _awaitingRejoin.Contains(peerId) && _state.FindPeer(peerId) is not null;

    private void RemoveAbsentMembers()
    {
        var absent = _awaitingRejoin.Where(id => SessionOf(id) is null).Select(_state.FindPeer).OfType<PeerState>().ToList();
        _awaitingRejoin.Clear();
        if (absent.Count == 0)
            return;
        var now = DateTimeOffset.UtcNow;
        var events = new List<IRoomEvent>();
        var departures = new List<IRoomEvent>();
        foreach (var peer in absent)
        {
            var departure = RoomRules.ProducerDeparture(_state, peer.Id, PeerLeftReasons.RejoinTimeout, now);
            departures.AddRange(departure);
            events.AddRange(departure);
            events.Add(new PeerLeft(peer.Id, PeerLeftReasons.RejoinTimeout, now));
            ForgetMediaOf(peer.Id);
            CloseTransportsOf(peer.Id);
        }
        var closing = _sessions.Count == 0;
        if (closing)
            events.Add(new RoomClosed(now));

        PersistThen(events, () =>
        {
            _log.Info("room {0}: {1} did not rejoin within {2} s", _roomId, string.Join(", ", absent.Select(p => p.Id)), RejoinGracePeriod.TotalSeconds);
            foreach (var peer in absent.Where(p => p.Joined))
                NotifyJoined("peerClosed", new { peerId = peer.Id }, except: null);
            NotifyConsumersClosed(departures);
            if (closing)
            {
                _log.Info("room {0} closed: nobody came back", _roomId);
                CloseRouter();
                StopWhenWritten();
            }
        });
    }
}
