using Actors.Peers;
using Akka.Actor;
using Akka.Event;

namespace Actors.Rooms;

/// <summary>
/// A room's child that owns one part of the room (a consumer, a transport): it runs requests about
/// that part on the router by id, one media call at a time (what arrives meanwhile waits its turn),
/// and decides; the room writes. Every outcome goes to the room as a <see cref="ChildDecision"/>, whose
/// events the room persists in order with everything else before it sends the messages. Requests
/// still waiting when the child stops are answered, not dropped.
/// </summary>
public abstract class RoomChildActor : UntypedActor
{
    /// <summary>A media call's outcome, to be decided on the actor's thread.</summary>
    private sealed record MediaDone(Func<ChildDecision> Decide);

    private readonly Queue<object> _waiting = new();
    private bool _busy;
    private DelegatedRequest? _inFlight;

    protected RoomChildActor(string id, IActorRef room)
    {
        Id = id;
        Room = room;
    }

    /// <summary>The id of the part this actor owns.</summary>
    protected string Id { get; }

    protected IActorRef Room { get; }

    protected ILoggingAdapter Log { get; } = Context.GetLogger();

    /// <summary>What a request about a part that is gone is answered.</summary>
    protected abstract CommandFailure NotFound();

    /// <summary>Handles a message while no media call is in flight.</summary>
    protected abstract void Handle(object message);

    /// <summary>Handles, without waiting for a call in flight, a message that changes nothing here (a media event); false for the others.</summary>
    protected virtual bool HandleNow(object message) => false;

    /// <summary>Takes the events this actor decided into its own state (before the room has written them).</summary>
    protected abstract void Apply(IRoomEvent e);

    protected override void PostStop()
    {
        foreach (var request in _waiting.OfType<DelegatedRequest>().Prepend(_inFlight).OfType<DelegatedRequest>())
            request.ReplyTo.Tell(request.Answer(NotFound()));
    }

    protected sealed override void OnReceive(object message)
    {
        if (message is MediaDone done)
        {
            _busy = false;
            _inFlight = null;
            Submit(done.Decide());
            while (!_busy && _waiting.TryDequeue(out var next))
                Handle(next);
        }
        else if (!HandleNow(message))
        {
            if (_busy)
                _waiting.Enqueue(message);
            else
                Handle(message);
        }
    }

    protected void RunMedia(Task task, DelegatedRequest? request, Func<ChildDecision> onDone) =>
        RunMedia(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), request, _ => onDone());

    /// <summary>Runs a call on the router; its outcome comes back as a message, and what arrives meanwhile waits until it has.</summary>
    protected void RunMedia<T>(Task<T> task, DelegatedRequest? request, Func<T, ChildDecision> onDone)
    {
        _busy = true;
        _inFlight = request;
        task.ContinueWith(t => new MediaDone(t.IsCompletedSuccessfully
                ? () => onDone(t.Result)
                : () => Failed(request, t.Exception?.GetBaseException().Message ?? "cancelled")),
            TaskScheduler.Default).PipeTo(Self);
    }

    /// <summary>Applies what was decided here, then hands it to the room to write and send.</summary>
    protected void Submit(ChildDecision decision)
    {
        foreach (var e in decision.Events)
            Apply(e);
        Room.Tell(decision);
    }

    protected ChildDecision Reply(DelegatedRequest request, CommandResult result, IReadOnlyList<IRoomEvent>? events = null) =>
        new(Id, events ?? [], [new Outgoing(request.ReplyTo, request.Answer(result))]);

    /// <summary>Events, and a message for <paramref name="to"/> unless that is nobody (a broadcaster's part).</summary>
    protected ChildDecision Decided(IReadOnlyList<IRoomEvent> events, IActorRef to, ISessionMessage? message = null) =>
        new(Id, events, message is null || to.IsNobody() ? [] : [new Outgoing(to, message)]);

    private ChildDecision Failed(DelegatedRequest? request, string why)
    {
        if (request is not null)
            return Reply(request, CommandResult.Error(why));
        Log.Warning("{0}: {1}", Id, why);
        return new ChildDecision(Id, [], []);
    }
}

/// <summary>
/// Room → child: a request about the child's part, to be answered to <paramref name="ReplyTo"/>: a
/// peer's session (with the protoo <paramref name="RequestId"/>), or an HTTP call (no id).
/// </summary>
public sealed record DelegatedRequest(int? RequestId, IPeerRequest Request, IActorRef ReplyTo)
{
    public ISessionMessage Answer(CommandResult result) => RequestId is { } id ? new PeerCommandResult(id, result) : result;
}

/// <summary>A message the room sends on a child's behalf once the events decided with it are written.</summary>
public sealed record Outgoing(IActorRef To, ISessionMessage Message);

/// <summary>
/// Child → room: what it decided about part <paramref name="Of"/>. The room, the only writer of the
/// room's stream, persists <paramref name="Events"/> in order with everything else it decides,
/// applies them, then sends <paramref name="Messages"/>; with <paramref name="Closed"/>, the part is
/// gone and the room stops the child.
/// </summary>
public sealed record ChildDecision(string Of, IReadOnlyList<IRoomEvent> Events, IReadOnlyList<Outgoing> Messages, bool Closed = false);
