using Actors.Media;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.Event;
using MediaEngine.Consumers;

namespace Actors.Consumers;

/// <summary>
/// One consumer of a room: offers it to its peer (newConsumer) and resumes it when accepted, runs
/// the peer's requests about it (pause/resume, key frame, layers, priority, stats) on the router
/// by id, and turns its media events into the peer's notifications. It decides and the room
/// writes: each outcome goes to the room as <see cref="ConsumerDecided"/>, whose events the room
/// persists before sending the reply. One media call at a time; requests meanwhile wait their turn.
/// </summary>
public sealed class ConsumerActor : UntypedActor
{
    private const string NewConsumer = "newConsumer";

    /// <summary>A media call's outcome, to be decided on the actor's thread.</summary>
    private sealed record MediaDone(Func<ConsumerDecided> Decide);

    private readonly ConsumerSpec _spec;
    private readonly IRouterGateway _router;
    private readonly IActorRef _room;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<object> _waiting = new();
    private ConsumerStatus _status;
    private bool _busy;
    private ConsumerCommand? _inFlight;

    public ConsumerActor(ConsumerSpec spec, IRouterGateway router, IActorRef room)
    {
        _spec = spec;
        _router = router;
        _room = room;
        _status = ConsumerStatus.From(spec);
    }

    public static Props Props(ConsumerSpec spec, IRouterGateway router, IActorRef room) =>
        Akka.Actor.Props.Create(() => new ConsumerActor(spec, router, room));

    public static CommandFailure NotFound(string consumerId) => CommandResult.Error($"consumer with id \"{consumerId}\" not found");

    protected override void PreStart()
    {
        if (_spec.Offer is { } offer)
            Submit(Decided([], new RequestPeer(NewConsumer, offer, _spec.ConsumerId)));
    }

    /// <summary>Requests still waiting when the consumer closes are answered, not dropped.</summary>
    protected override void PostStop()
    {
        var unanswered = _waiting.OfType<ConsumerCommand>().Prepend(_inFlight).OfType<ConsumerCommand>();
        foreach (var command in unanswered)
            command.ReplyTo.Tell(new PeerCommandResult(command.RequestId, NotFound(_spec.ConsumerId)));
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case MediaDone done:
                _busy = false;
                _inFlight = null;
                Submit(done.Decide());
                while (!_busy && _waiting.TryDequeue(out var next))
                    Handle(next);
                break;
            // Media events do not change the status: they need not wait for a call in flight.
            case ConsumerScore score:
                Submit(Decided([], _status.ScoreNotification(score)));
                break;
            case ConsumerLayersChanged layers:
                Submit(Decided([], _status.LayersNotification(layers)));
                break;
            case var _ when _busy:
                _waiting.Enqueue(message);
                break;
            default:
                Handle(message);
                break;
        }
    }

    private void Handle(object message)
    {
        switch (message)
        {
            case PeerRequestResult { Method: NewConsumer } answer:
                OnAnswer(answer);
                break;
            case ConsumerCommand command:
                OnCommand(command);
                break;
            case ProducerPaused or ProducerResumed:
                OnProducerChange((IRoomEvent)message);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnAnswer(PeerRequestResult answer)
    {
        if (!_status.AwaitingAnswer)
            return;
        if (!answer.Ok)
        {
            _log.Info("peer {0} refused consumer {1}: {2}", _spec.PeerId, _spec.ConsumerId, answer.ErrorReason ?? "");
            _ = _router.CloseConsumerAsync(_spec.ConsumerId);
            Submit(Decided(_status.Refused(answer.ErrorReason, DateTimeOffset.UtcNow)) with { Closed = true });
            return;
        }
        RunMedia(_router.ResumeConsumerAsync(_spec.ConsumerId), command: null, score =>
        {
            _log.Info("peer {0} accepted consumer {1}", _spec.PeerId, _spec.ConsumerId);
            var events = _status.Accepted(DateTimeOffset.UtcNow);
            return score is null ? Decided(events) : Decided(events, _status.ScoreNotification(score));
        });
    }

    private void OnCommand(ConsumerCommand command)
    {
        switch (command.Request)
        {
            case ConsumerRequest { Method: "pauseConsumer" or "resumeConsumer" } pause:
                var paused = pause.Method == "pauseConsumer";
                if (_status.SetPaused(paused, DateTimeOffset.UtcNow).Count == 0)
                    Submit(Reply(command, CommandResult.Ok()));
                else
                    RunMedia(_router.SetConsumerPausedAsync(_spec.ConsumerId, paused), command,
                        () => Reply(command, CommandResult.Ok(), _status.SetPaused(paused, DateTimeOffset.UtcNow)));
                break;
            case ConsumerRequest { Method: "requestConsumerKeyFrame" }:
                RunMedia(_router.RequestConsumerKeyFrameAsync(_spec.ConsumerId), command, () => Reply(command, CommandResult.Ok()));
                break;
            case ConsumerRequest { Method: "getConsumerStats" }:
                RunMedia(_router.GetConsumerStatsAsync(_spec.ConsumerId), command, stats => Reply(command, CommandResult.Ok(stats)));
                break;
            case SetConsumerPreferredLayers layers:
                RunMedia(_router.SetConsumerPreferredLayersAsync(_spec.ConsumerId, layers.SpatialLayer, layers.TemporalLayer), command,
                    () => Reply(command, CommandResult.Ok()));
                break;
            case SetConsumerPriority priority:
                RunMedia(_router.SetConsumerPriorityAsync(_spec.ConsumerId, priority.Priority), command, () => Reply(command, CommandResult.Ok()));
                break;
            default:
                Submit(Reply(command, CommandResult.Error($"unknown request.method \"{command.Request.Method}\"")));
                break;
        }
    }

    private void OnProducerChange(IRoomEvent change)
    {
        var notification = _status.ProducerPauseNotification(change);
        _status = _status.Apply(change);
        if (notification is not null)
            Submit(Decided([], notification));
    }

    private void RunMedia(Task task, ConsumerCommand? command, Func<ConsumerDecided> onDone) =>
        RunMedia(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), command, _ => onDone());

    /// <summary>Runs a call on the router; its outcome comes back as a message, and what arrives meanwhile waits until it has.</summary>
    private void RunMedia<T>(Task<T> task, ConsumerCommand? command, Func<T, ConsumerDecided> onDone)
    {
        _busy = true;
        _inFlight = command;
        task.ContinueWith(t => new MediaDone(t.IsCompletedSuccessfully
                ? () => onDone(t.Result)
                : () => Failed(command, t.Exception?.GetBaseException().Message ?? "cancelled")),
            TaskScheduler.Default).PipeTo(Self);
    }

    private ConsumerDecided Failed(ConsumerCommand? command, string why)
    {
        if (command is not null)
            return Reply(command, CommandResult.Error(why));
        _log.Warning("consumer {0} of peer {1}: {2}", _spec.ConsumerId, _spec.PeerId, why);
        return Decided([]);
    }

    /// <summary>Applies what was decided here, then hands it to the room to write and send.</summary>
    private void Submit(ConsumerDecided decided)
    {
        foreach (var e in decided.Events)
            _status = _status.Apply(e);
        _room.Tell(decided);
    }

    private ConsumerDecided Reply(ConsumerCommand command, CommandResult result, IReadOnlyList<IRoomEvent>? events = null) =>
        new(_spec.ConsumerId, events ?? [], [new Outgoing(command.ReplyTo, new PeerCommandResult(command.RequestId, result))]);

    private ConsumerDecided Decided(IReadOnlyList<IRoomEvent> events, ISessionMessage? toPeer = null) =>
        new(_spec.ConsumerId, events, toPeer is null || _spec.Session.IsNobody() ? [] : [new Outgoing(_spec.Session, toPeer)]);
}
