using Actors.Rooms;
using Akka.Actor;
using Akka.Event;

namespace Actors.Peers;

/// <summary>
/// One protoo session, living where its connection is: it attaches to its room (through the room
/// manager or the cluster's shard region, asking again until answered), forwards the client's
/// requests as commands to its member's <see cref="PeerActor"/> in the room and writes the answers back,
/// delivers the room's notifications, and runs server-to-client requests with protoo's timeout.
/// It holds no room state and talks to the room only by messages, so the room may be anywhere; a
/// replaced or closed session, or one whose room is gone, just stops.
/// </summary>
public sealed class PeerSessionActor : ReceiveActor
{
    /// <summary>protoo-server's request timeout: 2000 × (15 + 0.1 × pending) ms.</summary>
    public static TimeSpan ServerRequestTimeout(int pendingCount) =>
        TimeSpan.FromMilliseconds(2000 * (15 + 0.1 * pendingCount));

    public const int ServerCloseCode = 4000;
    public const string ServerCloseReason = "closed by protoo-server";

    /// <summary>Going Away: the room stopped under the peer (restart, shutdown); protoo-client reconnects.</summary>
    public const int RoomGoneCloseCode = 1001;

    private sealed record PendingRequest(string Method, IActorRef ReplyTo, ICancelable Timeout, string? Correlation);

    private sealed record RequestTimedOut(int RequestId);

    private sealed record RetryConnect(ConnectPeer Connect);

    /// <summary>
    /// How long the session waits for its room to answer <see cref="ConnectPeer"/> before sending it
    /// again. In a cluster, a connection sent while its room's node is being removed goes to that node
    /// and is lost; the room answers a repeated one from the same session as it answered the first.
    /// </summary>
    public static readonly TimeSpan ConnectRetryInterval = TimeSpan.FromSeconds(1);

    private readonly string _peerId;
    private readonly IActorRef _rooms;
    private readonly IPeerConnection _connection;
    private readonly Func<int, TimeSpan> _requestTimeout;
    private readonly Dictionary<int, PendingRequest> _pending = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _room = ActorRefs.Nobody;
    private IActorRef _peer = ActorRefs.Nobody;
    private ICancelable? _connectRetry;
    private bool _connectionDone;

    /// <param name="rooms">Where <see cref="ConnectPeer"/> goes: the room manager (or, in tests, a room).</param>
    public PeerSessionActor(string peerId, IActorRef rooms, IPeerConnection connection, Func<int, TimeSpan> requestTimeout)
    {
        _peerId = peerId;
        _rooms = rooms;
        _connection = connection;
        _requestTimeout = requestTimeout;
        Receive<ConnectPeer>(connect =>
        {
            _rooms.Tell(connect, Self);
            _connectRetry = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(ConnectRetryInterval, ConnectRetryInterval, Self, new RetryConnect(connect), Self);
            Become(() => Attaching(Sender));
        });
    }

    public static Props Props(string peerId, IActorRef rooms, IPeerConnection connection, Func<int, TimeSpan>? requestTimeout = null) =>
        FactoryProps.Of(() => new PeerSessionActor(peerId, rooms, connection, requestTimeout ?? ServerRequestTimeout));

    private void Attaching(IActorRef asker)
    {
        Receive<RetryConnect>(r => _rooms.Tell(r.Connect, Self));
        Receive<PeerAttached>(attached =>
        {
            _connectRetry?.Cancel();
            _room = attached.Room;
            _peer = attached.Peer;
            Context.Watch(_room);
            _connection.Notify("mediasoup-version", JsonData.Of(new { version = attached.MediasoupVersion }));
            asker.Tell(attached);
            Become(Attached);
        });
        Receive<CommandFailure>(failure =>
        {
            asker.Tell(failure);
            Context.Stop(Self);
        });
        Receive<ClosePeer>(close =>
        {
            asker.Tell(CommandResult.Error($"room closed the connection: {close.Reason}"));
            Context.Stop(Self);
        });
    }

    private void Attached()
    {
        // The answers to a connection sent again, and retries still queued: attached already.
        Receive<PeerAttached>(_ => { });
        Receive<RetryConnect>(_ => { });
        Receive<ClientRequest>(r => _peer.Tell(new PeerCommand(_peerId, r.RequestId, r.Request)));
        Receive<PeerCommandResult>(r => _connection.Respond(r.RequestId, r.Result));
        Receive<NotifyPeer>(n => _connection.Notify(n.Method, n.Data));
        Receive<RequestPeer>(SendRequest);
        Receive<ClientResponse>(OnClientResponse);
        Receive<RequestTimedOut>(t => Complete(t.RequestId, p => new PeerRequestResult(p.Method, false, null, 408, "request timeout", p.Correlation)));
        Receive<ConnectionClosed>(_ =>
        {
            _connectionDone = true;
            _peer.Tell(new PeerDisconnected(_peerId));
            Context.Stop(Self);
        });
        Receive<ClosePeer>(close =>
        {
            _connectionDone = true;
            _connection.Close(close.Code, close.Reason);
            Context.Stop(Self);
        });
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_room), _ => Context.Stop(Self));
    }

    protected override void PostStop()
    {
        _connectRetry?.Cancel();
        if (!_connectionDone)
            _connection.Close(RoomGoneCloseCode, "room stopped");
        foreach (var requestId in _pending.Keys.ToList())
            Complete(requestId, p => new PeerRequestResult(p.Method, false, null, 410, "peer closed", p.Correlation));
    }

    private void SendRequest(RequestPeer request)
    {
        int requestId;
        do requestId = Random.Shared.Next(0, 10_000_001);
        while (_pending.ContainsKey(requestId));

        var timeout = Context.System.Scheduler.ScheduleTellOnceCancelable(
            _requestTimeout(_pending.Count), Self, new RequestTimedOut(requestId), Self);
        _pending[requestId] = new PendingRequest(request.Method, Sender, timeout, request.Correlation);
        _connection.Request(requestId, request.Method, request.Data);
    }

    private void OnClientResponse(ClientResponse response)
    {
        if (!_pending.ContainsKey(response.RequestId))
        {
            _log.Warning("peer {0}: response for unknown request {1} ignored", _peerId, response.RequestId);
            return;
        }
        Complete(response.RequestId, p => new PeerRequestResult(p.Method, response.Ok, response.Data, response.ErrorCode, response.ErrorReason, p.Correlation));
    }

    private void Complete(int requestId, Func<PendingRequest, PeerRequestResult> result)
    {
        if (!_pending.Remove(requestId, out var pending))
            return;
        pending.Timeout.Cancel();
        pending.ReplyTo.Tell(result(pending));
    }
}
