using System.Text.Json;
using Actors.Peers;
using Actors.Transports;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace Actors.Rooms;

/// <summary>
/// The room aggregate: one persistence id per room, so its history replays as one ordered
/// stream. Commands are validated against <see cref="RoomState"/>, which changes only by
/// applying events; they are applied as they are decided and written in batches behind, and what
/// the room sends out waits until they are written (<see cref="PersistThen"/>).
/// </summary>
public sealed partial class RoomActor : ReceivePersistentActor
{
    private readonly string _roomId;
    private readonly RoomSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Live protoo sessions by peer id, in connection order. Not state: connections do not survive a restart.</summary>
    private readonly List<(string PeerId, IActorRef Session)> _sessions = new();
    private readonly Dictionary<string, IActorRef> _sessionOfPeer = new();

    /// <summary>The <see cref="PeerActor"/> of each member with a live session, by peer id.</summary>
    private readonly Dictionary<string, IActorRef> _peerActors = new();

    /// <summary>What the access tokens of the connected peers allow; a peer without an entry may do everything.</summary>
    private readonly Dictionary<string, IReadOnlyList<string>> _permissions = new();

    private RoomState _state;

    /// <summary>Messages waiting for the events decided before them (<see cref="PersistThen"/>).</summary>
    private readonly Queue<(long AfterEvents, IActorRef To, object Message)> _outbox = new();
    private readonly Queue<RoomState> _statesAwaitingWrite = new();
    private long _eventsDecided;
    private long _eventsWritten;

    public RoomActor(string roomId, RoomSettings settings)
    {
        _roomId = roomId;
        _settings = settings;
        _state = RoomState.Empty(roomId);

        Recover<SnapshotOffer>(offer =>
        {
            _state = (RoomState)offer.Snapshot;
            _lastEventAt = new DateTimeOffset(DateTime.SpecifyKind(offer.Metadata.Timestamp, DateTimeKind.Utc));
        });
        Recover<IRoomEvent>(e =>
        {
            _state = _state.Apply(e);
            _lastEventAt = e.Timestamp;
        });
        Recover<RecoveryCompleted>(_ => OnRecovered());
        RegisterRecoveryCommands();
        RegisterChildCommands();
        RegisterTransportCommands();
        RegisterMediaCommands();
        RegisterDataCommands();
        RegisterBroadcasterCommands();
        RegisterShardingCommands();

        Command<ConnectPeer>(connect =>
        {
            var session = Sender;
            RecordRecoveryThen(() => OnConnectPeer(connect, session));
        });
        Command<PeerCommand>(command =>
        {
            try
            {
                OnPeerCommand(command);
            }
            catch (Exception e)
            {
                // A request the room could not handle fails alone: the room, its members and its media stay.
                _log.Error(e, "room {0}: {1} of peer {2} failed", _roomId, command.Request.Method, command.PeerId);
                Send(Sender, new PeerCommandResult(command.RequestId, CommandResult.Error($"{command.Request.Method} failed: {e.Message}")));
            }
        });
        Command<PeerJoining>(OnPeerJoining);
        Command<PeerDisconnected>(OnPeerDisconnected);
        Command<GetRoomState>(_ => Send(Sender, _state));
        Command<GetRouterRtpCapabilities>(_ => Send(Sender, CommandResult.Ok(_settings.RouterRtpCapabilities)));
        Command<StopIfIdle>(_ =>
        {
            // A shard holds every message for the room from the passivation on: the room must stop.
            if (_settings.Sharded || (!_state.Open && _sessions.Count == 0))
                Context.Stop(Self);
            else
                Send(Sender, new RoomActive(_roomId));
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("room {0}: snapshot failed: {1}", _roomId, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("room {0}: deleting old snapshots failed: {1}", _roomId, f.Cause.Message));
    }

    public override string PersistenceId => PersistenceIdFor(_roomId);

    public static string PersistenceIdFor(string roomId) => $"room-{roomId}";

    public static Props Props(string roomId, RoomSettings settings) =>
        FactoryProps.Of(() => new RoomActor(roomId, settings));

    /// <summary>Also before a restart: the sessions go with this incarnation (1001, so protoo-client reconnects them).</summary>
    protected override void PostStop()
    {
        foreach (var (_, session) in _sessions)
            session.Tell(new ClosePeer(PeerSessionActor.RoomGoneCloseCode, "room stopped"));
        _rejoinGraceTimer?.Cancel();
        ReleaseNodePlaces();
        ReleaseShardedRoom();
        CloseRouter();
        base.PostStop();
    }

    private void OnConnectPeer(ConnectPeer connect, IActorRef session)
    {
        // The same session asking again (its first request may have been lost in a cluster): the same answer.
        if (Equals(SessionOf(connect.PeerId), session) && _peerActors.TryGetValue(connect.PeerId, out var attachedPeer))
        {
            Send(session, new PeerAttached(Self, attachedPeer, _settings.MediasoupVersion));
            return;
        }
        var returning = IsReturningMember(connect.PeerId);
        var previous = _state.Open ? _state.FindPeer(connect.PeerId) : null;
        var previousSession = SessionOf(connect.PeerId);
        if (previousSession is null && !returning && _settings.MaxPeers > 0 && _sessions.Count >= _settings.MaxPeers)
        {
            Send(session, CommandResult.Unavailable($"room is full (limit {_settings.MaxPeers} peers)"));
            return;
        }
        if (!TryOpenOnThisNode(session))
            return;
        var events = RoomRules.Connect(_state, connect.PeerId, connect.RemoteAddress, connect.ConsumerReplicas, returning, DateTimeOffset.UtcNow);
        if (returning)
        {
            _awaitingRejoin.Remove(connect.PeerId);
            ForgetMediaOf(connect.PeerId);
        }
        else if (previous is not null)
        {
            ForgetMediaOf(previous.Id);
            CloseTransportsOf(previous.Id);
        }

        PersistThen(events, () =>
        {
            if (previousSession is not null)
            {
                RemoveSession(connect.PeerId);
                Send(previousSession, ClosePeer.ByServer);
                if (previous!.Joined)
                    NotifyJoined("peerClosed", new { peerId = previous.Id }, except: null);
            }
            NotifyConsumersClosed(events);
            _sessions.Add((connect.PeerId, session));
            _sessionOfPeer[connect.PeerId] = session;
            if (connect.Permissions is { } permissions)
                _permissions[connect.PeerId] = permissions;
            Context.Watch(session);
            var peer = Context.ActorOf(PeerActor.Props(PeerStatus.Of(_state.FindPeer(connect.PeerId)!, connect.Permissions), session,
                _settings.RouterRtpCapabilities, Self));
            _peerActors[connect.PeerId] = peer;
            _log.Info("room {0}: peer {1} connected from {2}", _roomId, connect.PeerId, connect.RemoteAddress ?? "?");
            Send(session, new PeerAttached(Self, peer, _settings.MediasoupVersion));
        });
    }

    /// <summary>A member's request its <see cref="PeerActor"/> passed on: about its transports, producers, consumers or data channels.</summary>
    private void OnPeerCommand(PeerCommand command)
    {
        if (!Equals(_peerActors.GetValueOrDefault(command.PeerId), Sender) || SessionOf(command.PeerId) is not { } replyTo)
        {
            Send(Sender, new PeerCommandResult(command.RequestId, CommandResult.Error("peer closed")));
            return;
        }
        var peer = _state.FindPeer(command.PeerId)!;
        void Reply(CommandResult result) => Send(replyTo, new PeerCommandResult(command.RequestId, result));

        switch (command.Request)
        {
            case CreateWebRtcTransport create:
                CreateTransport(peer, create, Reply);
                break;
            case ITransportRequest transportRequest:
                ForwardToTransport(peer, transportRequest.TransportId, new DelegatedRequest(command.RequestId, command.Request, replyTo));
                break;
            case IConsumerRequest consumerRequest:
                ForwardToConsumer(peer, consumerRequest.ConsumerId, new DelegatedRequest(command.RequestId, command.Request, replyTo));
                break;
            case IProducerRequest producerRequest:
                ForwardToProducer(peer, producerRequest.ProducerId, new DelegatedRequest(command.RequestId, command.Request, replyTo));
                break;
            case Produce produce:
                OnProduce(peer, produce, Reply);
                break;
            case NetworkThrottle throttle when string.IsNullOrEmpty(throttle.Secret) || throttle.Secret != _settings.NetworkThrottleSecret:
                Reply(CommandResult.Forbidden("operation NOT allowed"));
                break;
            case NetworkThrottle throttle:
                ThrottleNetwork(peer, throttle, Reply);
                break;
            case ProduceData or DataStatsRequest:
                HandleDataRequest(peer, command.Request, Reply);
                break;
            default:
                Reply(CommandResult.Error($"unknown request.method \"{command.Request.Method}\""));
                break;
        }
    }

    /// <summary>
    /// The member joined (its actor decided it): the event is journaled, with the capability set
    /// only if it is new to the room; the member gets the others present, they hear of it, and it is
    /// offered their media.
    /// </summary>
    private void OnPeerJoining(PeerJoining joining)
    {
        var peerId = joining.Event.PeerId;
        if (!Equals(_peerActors.GetValueOrDefault(peerId), Sender))
        {
            Send(joining.Request.ReplyTo, joining.Request.Answer(CommandResult.Error("peer closed")));
            return;
        }
        PersistThen([RoomRules.JournalCapabilitiesOnce(_state, joining.Event)], () =>
        {
            RememberRtpCapabilities(peerId, joining.Event.RtpCapabilities);
            var others = PresentPeers().Where(p => p.Id != peerId).ToList();
            Send(joining.Request.ReplyTo, joining.Request.Answer(CommandResult.Ok(new { peers = others })));
            NotifyJoined("newPeer", PeerInfo(_state.FindPeer(peerId)!), except: peerId);
            ConsumeExistingProducers(peerId);
            ConsumeExistingDataProducers(peerId);
        });
    }

    private void OnPeerDisconnected(PeerDisconnected disconnected)
    {
        if (!Equals(_peerActors.GetValueOrDefault(disconnected.PeerId), Sender))
            return;
        RemovePeer(disconnected.PeerId, PeerLeftReasons.Disconnected);
    }

    /// <summary>The peer is gone (its session already told): journal it, close its media, tell the others, maybe close the room.</summary>
    private void RemovePeer(string peerId, string reason, string? detail = null)
    {
        RemoveSession(peerId);
        _throttles.Remove(peerId);
        var peer = _state.FindPeer(peerId);
        var closing = _sessions.Count == 0;
        var events = RoomRules.Leave(_state, peerId, reason, detail, closing, DateTimeOffset.UtcNow);
        ForgetMediaOf(peerId);
        CloseTransportsOf(peerId);

        PersistThen(events, () =>
        {
            _log.Info("room {0}: peer {1} left ({2})", _roomId, peerId, reason);
            if (peer is { Joined: true })
                NotifyJoined("peerClosed", new { peerId = peer.Id }, except: peer.Id);
            NotifyConsumersClosed(events);
            if (closing)
            {
                _log.Info("room {0} closed: last peer left", _roomId);
                CloseRouter();
                StopWhenWritten();
            }
        });
    }

    /// <summary>Joined peers with a live session (connection order), then broadcasters: what join answers.</summary>
    private IEnumerable<PeerSummary> PresentPeers() =>
        JoinedSessionPeers().Select(PeerInfo)
            .Concat(_state.Broadcasters.Select(b => new PeerSummary(b.Id, b.DisplayName, b.Device)));

    private IEnumerable<PeerState> JoinedSessionPeers()
    {
        var joined = _state.JoinedPeers.ToDictionary(p => p.Id);
        return _sessions.Select(s => joined.GetValueOrDefault(s.PeerId)).OfType<PeerState>();
    }

    private static PeerSummary PeerInfo(PeerState peer) => new(peer.Id, peer.DisplayName, peer.Device);

    private void NotifyJoined(string method, object data, string? except)
    {
        var json = JsonData.Of(data);
        var joined = _state.JoinedPeers.Select(p => p.Id).ToHashSet();
        foreach (var (peerId, session) in _sessions)
        {
            if (peerId != except && joined.Contains(peerId))
                Send(session, new NotifyPeer(method, json));
        }
    }

    private IActorRef? SessionOf(string peerId) => _sessionOfPeer.GetValueOrDefault(peerId);

    /// <summary>Whether the member's access token allows <paramref name="permission"/> (a broadcaster's or one without a token: yes).</summary>
    private bool May(string peerId, string permission) =>
        !_permissions.TryGetValue(peerId, out var permissions) || permissions.Contains(permission);

    private void RemoveSession(string peerId)
    {
        foreach (var (_, session) in _sessions.Where(s => s.PeerId == peerId))
            Context.Unwatch(session);
        _sessions.RemoveAll(s => s.PeerId == peerId);
        _sessionOfPeer.Remove(peerId);
        if (_peerActors.Remove(peerId, out var peer))
            Context.Stop(peer);
        _permissions.Remove(peerId);
    }

    /// <summary>
    /// A session that stopped without its connection closing first (its endpoint gave up on it, its
    /// node is gone): the member leaves as if disconnected, rather than staying in the room forever.
    /// </summary>
    private void OnSessionTerminated(IActorRef session)
    {
        var (peerId, _) = _sessions.FirstOrDefault(s => Equals(s.Session, session));
        if (peerId is not null)
            RemovePeer(peerId, PeerLeftReasons.Disconnected, "session stopped");
    }

    /// <summary>
    /// Applies <paramref name="events"/> to the state at once and runs <paramref name="effects"/>
    /// against it; the events go to the journal in the background, batched with whatever the room
    /// decides while a write is in flight (one commit for many commands, not one per command), and
    /// everything the effects send out (<see cref="Send"/>) waits until they are written: a reply or
    /// notification always means its events are in the journal. A failed write stops the room, so
    /// its state, ahead of the journal, goes with it.
    /// </summary>
    private void PersistThen(IReadOnlyList<IRoomEvent> events, Action effects)
    {
        foreach (var e in events)
        {
            _state = _state.Apply(e);
            _statesAwaitingWrite.Enqueue(_state);
            switch (e)
            {
                case ConsumerClosed closed:
                    StopChild(closed.ConsumerId);
                    break;
                case ProducerClosed closed:
                    _liveProducers.Remove(closed.ProducerId);
                    StopChild(closed.ProducerId);
                    break;
            }
        }
        if (events.Count > 0)
            PersistAllAsync(events, _ => OnEventWritten());
        _eventsDecided += events.Count;
        ReconcileNodePlaces();
        effects();
    }

    private void OnEventWritten()
    {
        var stateAfter = _statesAwaitingWrite.Dequeue();
        _eventsWritten++;
        if (LastSequenceNr % _settings.SnapshotEvery == 0)
            SaveSnapshot(stateAfter);
        while (_outbox.TryPeek(out var pending) && pending.AfterEvents <= _eventsWritten)
        {
            _outbox.Dequeue();
            pending.To.Tell(pending.Message, Self);
        }
    }

    /// <summary>Sends now if every event decided so far is written, else once it is (in the order sent).</summary>
    private void Send(IActorRef to, object message)
    {
        if (_eventsWritten == _eventsDecided)
            to.Tell(message, Self);
        else
            _outbox.Enqueue((_eventsDecided, to, message));
    }

    /// <summary>An event the journal refused (it could not serialize it): the state is ahead of the journal, so the room starts over from the journal.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "room {0}: event {1} (#{2}) rejected by the journal; the room restarts from its journal", _roomId, @event.GetType().Name, sequenceNr);
        throw new InvalidOperationException($"room {_roomId}: event #{sequenceNr} was not written", cause);
    }
}

/// <summary>A peer as other peers see it: {id, displayName, device}, absent fields omitted.</summary>
public sealed record PeerSummary(string Id, string? DisplayName, JsonElement? Device);
