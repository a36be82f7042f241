using MediaEngine.Srtp;
using System.Text.Json.Nodes;
using Actors.Media;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.Event;
using MediaEngine.Dtls;
using MediaEngine.Transports;

namespace Actors.Transports;

/// <summary>
/// One transport of a room: runs its owner's requests about it on the router by id (a WebRTC
/// transport's connect, restartIce and stats; a broadcaster's plain transport's connect, whose SRTP
/// keys it journals so the transport can be bound again after a restart), sends the owner a WebRTC
/// transport's bandwidth estimate (downlinkBwe), and reports when the remote side lost or ended it
/// (<see cref="TransportFailed"/>).
/// </summary>
public sealed class TransportActor : RoomChildActor
{
    private readonly TransportSpec _spec;
    private readonly IRouterGateway _router;
    private readonly Queue<DateTimeOffset> _restarts = new();

    public TransportActor(TransportSpec spec, IRouterGateway router, IActorRef room) : base(spec.TransportId, room)
    {
        _spec = spec;
        _router = router;
    }

    public static Props Props(TransportSpec spec, IRouterGateway router, IActorRef room) =>
        FactoryProps.Of(() => new TransportActor(spec, router, room));

    public static CommandFailure NotFound(string transportId) => CommandResult.Error($"transport with id \"{transportId}\" not found");

    protected override CommandFailure NotFound() => NotFound(Id);

    protected override void Apply(IRoomEvent e)
    {
    }

    protected override bool HandleNow(object message)
    {
        if (message is not TransportEvent transportEvent)
            return false;
        OnTransportEvent(transportEvent);
        return true;
    }

    protected override void Handle(object message)
    {
        if (message is not DelegatedRequest request)
        {
            Unhandled(message);
            return;
        }
        switch (request.Request)
        {
            case ConnectWebRtcTransport connect:
                Connect(request, connect);
                break;
            case ConnectPlainTransport connect:
                ConnectPlain(request, connect);
                break;
            case RestartIce when !TryCountRestart():
                Submit(Reply(request, CommandResult.TooManyRequests($"too many restartIce (limit {_spec.RestartIcePerMinute} per minute)")));
                break;
            case RestartIce:
                RunMedia(_router.RestartIceAsync(Id), request, ice => Reply(request, CommandResult.Ok(TransportJson.IceParameters(ice)),
                    [new IceRestarted(_spec.OwnerId, Id, DateTimeOffset.UtcNow)]));
                break;
            case GetTransportStats:
                RunMedia(_router.GetTransportStatsAsync(Id), request, stats => Reply(request, CommandResult.Ok(new object[] { stats })));
                break;
            default:
                Submit(Reply(request, CommandResult.Error($"unknown request.method \"{request.Request.Method}\"")));
                break;
        }
    }

    /// <summary>Counts one more restartIce, unless the last minute already had as many as allowed.</summary>
    private bool TryCountRestart()
    {
        if (_spec.RestartIcePerMinute <= 0)
            return true;
        var now = DateTimeOffset.UtcNow;
        while (_restarts.TryPeek(out var oldest) && now - oldest >= TimeSpan.FromMinutes(1))
            _restarts.Dequeue();
        if (_restarts.Count >= _spec.RestartIcePerMinute)
            return false;
        _restarts.Enqueue(now);
        return true;
    }

    private void Connect(DelegatedRequest request, ConnectWebRtcTransport connect)
    {
        if (!DtlsRoles.TryParse(connect.Role, out var role))
        {
            Submit(Reply(request, CommandResult.TypeError($"invalid dtlsParameters.role \"{connect.Role}\"")));
            return;
        }
        var fingerprint = connect.Fingerprints
            .Select(f => DtlsFingerprintAlgorithms.TryParse(f.Algorithm, out var algorithm) ? new DtlsFingerprint(algorithm, f.Value) : null)
            .OfType<DtlsFingerprint>()
            .OrderByDescending(f => f.Algorithm == DtlsFingerprintAlgorithm.Sha256)
            .FirstOrDefault();
        if (fingerprint is null)
        {
            Submit(Reply(request, CommandResult.TypeError("no supported fingerprint in dtlsParameters.fingerprints")));
            return;
        }
        RunMedia(_router.ConnectWebRtcTransportAsync(Id, role, fingerprint), request, () => Reply(request, CommandResult.Ok(),
            [new TransportConnected(_spec.OwnerId, Id, connect.Role, fingerprint.Algorithm.ToMediasoupName(), DateTimeOffset.UtcNow)]));
    }

    /// <summary>A plain transport's remote address (none with comedia) and SRTP keys; a bad address or key is a TypeError.</summary>
    private void ConnectPlain(DelegatedRequest request, ConnectPlainTransport connect)
    {
        SrtpParameters? remote = null;
        if (connect.HasSrtpParameters)
        {
            try
            {
                remote = SrtpParameters.Parse(connect.SrtpCryptoSuite, connect.SrtpKeyBase64);
            }
            catch (ArgumentException e)
            {
                Submit(Reply(request, CommandResult.TypeError(e.Message)));
                return;
            }
        }
        var connecting = _router.ConnectPlainTransportAsync(Id, connect.Ip, connect.Port, connect.RtcpPort, remote)
            .ContinueWith(done =>
            {
                if (done.IsCompletedSuccessfully)
                    return (Local: done.Result, Refused: (CommandFailure?)null);
                var error = done.Exception!.GetBaseException();
                return (null, error is ArgumentException ? CommandResult.TypeError(error.Message) : CommandResult.Error(error.Message));
            }, TaskScheduler.Default);
        RunMedia(connecting, request, outcome => outcome.Refused is { } refused
            ? Reply(request, refused)
            : Reply(request, CommandResult.Ok(outcome.Local is { } local ? new JsonObject { ["srtpParameters"] = TransportJson.SrtpParameters(local) } : null),
                [new PlainTransportConnected(_spec.OwnerId, Id, connect.Ip, connect.Port, connect.RtcpPort, remote?.CryptoSuite, DateTimeOffset.UtcNow)
                {
                    SrtpKeyBase64 = remote?.KeyBase64,
                    LocalSrtpCryptoSuite = outcome.Local?.CryptoSuite,
                    LocalSrtpKeyBase64 = outcome.Local?.KeyBase64,
                }]));
    }

    private void OnTransportEvent(TransportEvent transportEvent)
    {
        if (transportEvent is { Kind: TransportEventKind.Bwe, Bandwidth: { } bandwidth })
        {
            // mediasoup-demo enables the 'bwe' trace on every WebRtcTransport and forwards it to its peer.
            Submit(Decided([], _spec.Session, new NotifyPeer("downlinkBwe", JsonData.Of(new
            {
                desiredBitrate = bandwidth.DesiredBitrate,
                effectiveDesiredBitrate = bandwidth.EffectiveDesiredBitrate,
                availableBitrate = bandwidth.AvailableBitrate,
            }))));
            return;
        }
        var what = $"{TransportJson.EventName(transportEvent.Kind)} {transportEvent.Value}";
        Log.Info("transport {0} of {1}: {2}{3}", Id, _spec.OwnerId, what, transportEvent.Detail is null ? "" : $" ({transportEvent.Detail})");
        var fatal = transportEvent.Kind switch
        {
            TransportEventKind.IceStateChange => transportEvent.Value is "disconnected" or "closed",
            TransportEventKind.DtlsStateChange => transportEvent.Value is "failed" or "closed",
            _ => false,
        };
        // A transport closed on this side went with its router's worker (the room stops the actors of
        // those it closes itself): the router's Terminated sends the peer to reconnect (1001), where
        // protoo's 4000 would end its session for good.
        if (fatal && !transportEvent.WhileClosing)
            Room.Tell(new TransportFailed(Id, _spec.OwnerId, $"transport {Id} {what}"));
    }
}
