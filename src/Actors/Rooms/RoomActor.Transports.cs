using System.Text.Json;
using Actors.Peers;
using Akka.Actor;
using Akka.Event;
using Actors.Media;
using Actors.Transports;
using MediaEngine.Net;
using MediaEngine.RtpObservers;
using MediaEngine.Transports;

namespace Actors.Rooms;

/// <summary>The room's WebRTC transports: created on its router, owned by its peers.</summary>
public sealed partial class RoomActor
{
    /// <summary>A media call finished: its continuation runs back inside the actor.</summary>
    private sealed record MediaContinuation(Action Run);

    private sealed record LiveTransport(string PeerId, TransportDescription Transport);

    private readonly Dictionary<string, LiveTransport> _liveTransports = new();

    /// <summary>Members under applyNetworkThrottle: the shapes their transports get, new ones too.</summary>
    private readonly Dictionary<string, (NetworkShape Uplink, NetworkShape Downlink)> _throttles = new();
    private readonly List<(Action<CommandResult> Reply, Action Then)> _waitingForRouter = new();
    private IRouterGateway? _router;
    private IActorRef? _routerActor;
    private string? _audioLevelObserverId;

    private void RegisterTransportCommands()
    {
        Command<MediaContinuation>(RunContinuation);
        Command<Terminated>(terminated =>
        {
            if (Equals(terminated.ActorRef, _routerActor))
                OnRouterTerminated();
            else
                OnSessionTerminated(terminated.ActorRef);
        });
        Command<TransportEvent>(OnTransportEvent);
        Command<TransportFailed>(OnTransportFailed);
    }

    private void CreateTransport(PeerState peer, CreateWebRtcTransport create, Action<CommandResult> reply)
    {
        if (TryReserve(peer, Quota.Transports, reply, out var reserved))
            WithRouter(reserved, () => CreateTransportOnRouter(peer, create, reserved));
    }

    /// <summary>Runs <paramref name="action"/> once the room has its router, asking the media workers for one first if needed.</summary>
    private void WithRouter(Action<CommandResult> reply, Action action)
    {
        if (_router is not null)
        {
            action();
            return;
        }
        if (_settings.MediaWorkers is null)
        {
            reply(CommandResult.Error("media engine not available"));
            return;
        }
        _waitingForRouter.Add((reply, action));
        if (_waitingForRouter.Count > 1)
            return;
        RunAfter(_settings.MediaWorkers.Ask<RouterCreated>(new CreateRouter(_roomId, Self), TimeSpan.FromSeconds(10)),
            created =>
            {
                _routerActor = created.RouterActor;
                Context.Watch(_routerActor);
                // mediasoup-demo's room: the router comes with its AudioLevelObserver, which drives
                // activeSpeaker; the room uses the router only once both exist.
                RunAfter(created.Router.CreateAudioLevelObserverAsync(AudioLevelObserverOptions.Demo), observerId =>
                {
                    if (!Equals(_routerActor, created.RouterActor))
                    {
                        FailWaitingForRouter(CommandResult.Error("router closed"));
                        return;
                    }
                    _router = created.Router;
                    _audioLevelObserverId = observerId;
                    RunWaitingForRouter();
                }, failure =>
                {
                    if (Equals(_routerActor, created.RouterActor))
                        CloseRouter();
                    FailWaitingForRouter(failure);
                });
            },
            FailWaitingForRouter);
    }

    private void RunWaitingForRouter()
    {
        var waiting = _waitingForRouter.ToList();
        _waitingForRouter.Clear();
        foreach (var (_, then) in waiting)
            then();
    }

    private void FailWaitingForRouter(CommandResult failure)
    {
        var waiting = _waitingForRouter.ToList();
        _waitingForRouter.Clear();
        foreach (var (failed, _) in waiting)
            failed(failure);
    }

    /// <summary>
    /// The router died with its worker: the media is gone. Peers are told to go away (1001) and
    /// protoo-client reconnects them, onto a fresh router.
    /// </summary>
    private void OnRouterTerminated()
    {
        _log.Warning("room {0}: its router stopped with its media worker; peers reconnect", _roomId);
        CloseRouter();
        foreach (var (peerId, session) in _sessions.ToList())
        {
            Send(session, new ClosePeer(PeerSessionActor.RoomGoneCloseCode, "media worker restarted"));
            RemovePeer(peerId, PeerLeftReasons.MediaWorkerRestarted);
        }
    }

    private void CreateTransportOnRouter(PeerState peer, CreateWebRtcTransport create, Action<CommandResult> reply)
    {
        var session = SessionOf(peer.Id);
        if (!TrySctpStreamCounts(create.SctpCapabilities, reply, out var sctp))
            return;
        var options = new WebRtcTransportOptions(EnableUdp: !create.ForceTcp, EnableTcp: true, IceConsentTimeout: _settings.IceConsentTimeout,
            SctpStreams: sctp is null ? null : (sctp.OS, sctp.MIS),
            InitialAvailableOutgoingBitrate: _settings.InitialAvailableOutgoingBitrate, MaxIncomingBitrate: _settings.MaxIncomingBitrate);
        var router = _router!;
        var events = _routerActor!;
        RunAfter(router.CreateWebRtcTransportAsync(options, events.Tell), transport =>
        {
            if (!Equals(SessionOf(peer.Id), session) || _router != router)
            {
                _ = router.CloseTransportAsync(transport.Id);
                reply(CommandResult.Error("peer closed"));
                return;
            }
            PersistThen([new TransportCreated(peer.Id, transport.Id, create.ForceTcp, create.Producing, create.Consuming, sctp, DateTimeOffset.UtcNow)], () =>
            {
                _liveTransports[transport.Id] = new LiveTransport(peer.Id, transport);
                if (_throttles.TryGetValue(peer.Id, out var shapes))
                    ShapeNewTransport(router, transport.Id, shapes);
                StartTransport(new TransportSpec(transport.Id, peer.Id, session!, _settings.MemberLimits.RestartIcePerMinute));
                _log.Info("room {0}: peer {1} created transport {2}", _roomId, peer.Id, transport.Id);
                reply(CommandResult.Ok(TransportJson.WebRtcTransport(transport)));
            });
        }, reply);
    }

    /// <summary>
    /// applyNetworkThrottle / resetNetworkThrottle. mediasoup-demo shapes the whole host with Linux tc;
    /// here the requesting member's WebRTC transports get an in-engine shaper each way (bitrate, half
    /// the rtt as delay, loss), kept for its transports created later, until reset or until it leaves.
    /// Not journaled: like the demo's, a throttle does not outlive the process.
    /// </summary>
    private void ThrottleNetwork(PeerState peer, NetworkThrottle throttle, Action<CommandResult> reply)
    {
        (NetworkShape Uplink, NetworkShape Downlink)? shapes = throttle.Apply
            ? NetworkShape.FromThrottle(throttle.Uplink, throttle.Downlink, throttle.Rtt, throttle.PacketLoss)
            : null;
        if (shapes is { } applied)
            _throttles[peer.Id] = applied;
        else
            _throttles.Remove(peer.Id);
        if (_router is not { } router)
        {
            reply(CommandResult.Ok());
            return;
        }
        var shaped = peer.Transports
            .Where(t => _liveTransports.ContainsKey(t.Id))
            .Select(t => router.SetNetworkShapeAsync(t.Id, shapes?.Uplink, shapes?.Downlink));
        RunAfter(Task.WhenAll(shaped), () => reply(CommandResult.Ok()), reply);
        _log.Info("room {0}: peer {1} {2}", _roomId, peer.Id, shapes is { } s
            ? $"throttled: uplink {s.Uplink.BitsPerSecond} bps, downlink {s.Downlink.BitsPerSecond} bps, delay {s.Uplink.Delay.TotalMilliseconds} ms each way, loss {s.Uplink.Loss:P1}"
            : "throttle reset");
    }

    private void ShapeNewTransport(IRouterGateway router, string transportId, (NetworkShape Uplink, NetworkShape Downlink) shapes)
    {
        var log = _log;
        var roomId = _roomId;
        router.SetNetworkShapeAsync(transportId, shapes.Uplink, shapes.Downlink).ContinueWith(
            failed => log.Warning("room {0}: the throttle of transport {1} could not be set: {2}", roomId, transportId, failed.Exception!.GetBaseException().Message),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    private void StartTransport(TransportSpec spec) =>
        StartChild(spec.TransportId, TransportActor.Props(spec, _router!, Self), $"transport-{spec.TransportId}");

    /// <summary>A transport event no transport actor took: a plain transport's (tuple, …), or one raised before its actor was registered.</summary>
    private void OnTransportEvent(TransportEvent transportEvent)
    {
        if (_children.TryGetValue(transportEvent.TransportId, out var transport))
        {
            transport.Tell(transportEvent);
            return;
        }
        if (transportEvent.Kind != TransportEventKind.Bwe)
            _log.Info("room {0}: transport {1} {2} {3}{4}", _roomId, transportEvent.TransportId, TransportJson.EventName(transportEvent.Kind),
                transportEvent.Value, transportEvent.Detail is null ? "" : $" ({transportEvent.Detail})");
    }

    /// <summary>ICE or DTLS of a member's transport failed or ended from the remote side: mediasoup-demo closes the whole peer (protocol.md §1.4).</summary>
    private void OnTransportFailed(TransportFailed failed)
    {
        if (!_children.TryGetValue(failed.TransportId, out var transport) || !Equals(transport, Sender) || SessionOf(failed.OwnerId) is not { } session)
            return;
        Send(session, ClosePeer.ByServer);
        RemovePeer(failed.OwnerId, PeerLeftReasons.TransportClosed, failed.Detail);
    }

    /// <summary>A request about one of the member's WebRTC transports, for that transport's actor to run.</summary>
    private void ForwardToTransport(PeerState member, string transportId, DelegatedRequest request)
    {
        if (member.FindTransport(transportId) is not null && _liveTransports.ContainsKey(transportId)
            && _children.TryGetValue(transportId, out var transport))
            transport.Tell(request);
        else
            Send(request.ReplyTo, request.Answer(TransportActor.NotFound(transportId)));
    }

    private void CloseTransportsOf(string peerId)
    {
        foreach (var (id, _) in _liveTransports.Where(pair => pair.Value.PeerId == peerId).ToList())
        {
            _liveTransports.Remove(id);
            StopChild(id);
            _ = _router?.CloseTransportAsync(id);
        }
    }

    private void CloseRouter()
    {
        _liveTransports.Clear();
        _liveProducers.Clear();
        foreach (var child in _children.Values)
            child.Tell(PoisonPill.Instance);
        _children.Clear();
        _midAllocators.Clear();
        _sctpStreamIds.Clear();
        _botDataProducerId = null;
        _peerRtpCapabilities.Clear();
        if (_routerActor is not null)
        {
            Context.Unwatch(_routerActor);
            Context.Stop(_routerActor);
        }
        _router = null;
        _routerActor = null;
        _audioLevelObserverId = null;
    }

    private void WithTransport(PeerState peer, string transportId, Action<CommandResult> reply, Action<WebRtcTransportDescription> action)
    {
        if (peer.FindTransport(transportId) is null || !_liveTransports.TryGetValue(transportId, out var live) || live.Transport is not WebRtcTransportDescription transport)
        {
            reply(CommandResult.Error($"transport with id \"{transportId}\" not found"));
            return;
        }
        action(transport);
    }

    private const int DefaultSctpStreams = 1024;

    /// <summary>sctpCapabilities.numStreams, mediasoup's defaults where absent.</summary>
    /// <exception cref="ArgumentException">sctpCapabilities is not an object, or a count is not an integer from 1 to 65535.</exception>
    private static SctpStreamCounts SctpStreamCountsOf(JsonElement capabilities)
    {
        if (capabilities.ValueKind != JsonValueKind.Object)
            throw new ArgumentException("sctpCapabilities must be an object");
        if (!capabilities.TryGetProperty("numStreams", out var numStreams))
            return new SctpStreamCounts(DefaultSctpStreams, DefaultSctpStreams);
        if (numStreams.ValueKind != JsonValueKind.Object)
            throw new ArgumentException("sctpCapabilities.numStreams must be an object");
        int Count(string name) => !numStreams.TryGetProperty(name, out var value)
            ? DefaultSctpStreams
            : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count is > 0 and <= 65535
                ? count
                : throw new ArgumentException($"invalid sctpCapabilities.numStreams.{name}");
        return new SctpStreamCounts(Count("OS"), Count("MIS"));
    }

    /// <summary>The stream counts a transport asks for, or the reply that refuses them.</summary>
    private static bool TrySctpStreamCounts(JsonElement? capabilities, Action<CommandResult> reply, out SctpStreamCounts? counts)
    {
        counts = null;
        if (capabilities is not { } given)
            return true;
        try
        {
            counts = SctpStreamCountsOf(given);
            return true;
        }
        catch (ArgumentException e)
        {
            reply(CommandResult.TypeError(e.Message));
            return false;
        }
    }

    /// <summary>A continuation that throws is logged, not allowed to restart the room under its other members.</summary>
    private void RunContinuation(MediaContinuation continuation)
    {
        try
        {
            continuation.Run();
        }
        catch (Exception e)
        {
            _log.Error(e, "room {0}: a media call's continuation failed", _roomId);
        }
    }

    private void RunAfter<T>(Task<T> task, Action<T> onSuccess, Action<CommandResult> onFailure)
    {
        var self = Self;
        task.ContinueWith(done => self.Tell(new MediaContinuation(done.IsCompletedSuccessfully
            ? () => onSuccess(done.Result)
            : () => onFailure(CommandResult.Error(done.Exception!.GetBaseException().Message)))), TaskScheduler.Default);
    }

    private void RunAfter(Task task, Action onSuccess, Action<CommandResult> onFailure)
    {
        var self = Self;
        task.ContinueWith(done => self.Tell(new MediaContinuation(done.IsCompletedSuccessfully
            ? onSuccess
            : () => onFailure(CommandResult.Error(done.Exception!.GetBaseException().Message)))), TaskScheduler.Default);
    }
}
