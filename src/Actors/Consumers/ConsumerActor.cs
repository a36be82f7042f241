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
/// by id, and turns its media events and its producer's pause/resume into the peer's notifications.
/// </summary>
public sealed class ConsumerActor : RoomChildActor
{
    private const string NewConsumer = "newConsumer";

    private readonly ConsumerSpec _spec;
    private readonly IRouterGateway _router;
    private ConsumerStatus _status;

    public ConsumerActor(ConsumerSpec spec, IRouterGateway router, IActorRef room) : base(spec.ConsumerId, room)
    {
        _spec = spec;
        _router = router;
        _status = ConsumerStatus.From(spec);
    }

    public static Props Props(ConsumerSpec spec, IRouterGateway router, IActorRef room) =>
        FactoryProps.Of(() => new ConsumerActor(spec, router, room));

    public static CommandFailure NotFound(string consumerId) => CommandResult.Error($"consumer with id \"{consumerId}\" not found");

    protected override CommandFailure NotFound() => NotFound(Id);

    protected override void PreStart()
    {
        if (_spec.Offer is { } offer)
            Submit(ToPeer([], new RequestPeer(NewConsumer, offer, Id)));
    }

    protected override void Apply(IRoomEvent e) => _status = _status.Apply(e);

    protected override bool HandleNow(object message)
    {
        switch (message)
        {
            case ConsumerScore score:
                Submit(ToPeer([], _status.ScoreNotification(score)));
                return true;
            case ConsumerLayersChanged layers:
                Submit(ToPeer([], _status.LayersNotification(layers)));
                return true;
            default:
                return false;
        }
    }

    protected override void Handle(object message)
    {
        switch (message)
        {
            case PeerRequestResult { Method: NewConsumer } answer:
                OnAnswer(answer);
                break;
            case DelegatedRequest request:
                OnRequest(request);
                break;
            case ProducerPaused or ProducerResumed:
                var change = (IRoomEvent)message;
                var notification = _status.ProducerPauseNotification(change);
                Apply(change);
                if (notification is not null)
                    Submit(ToPeer([], notification));
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
            Log.Info("peer {0} refused consumer {1}: {2}", _spec.PeerId, Id, answer.ErrorReason ?? "");
            _ = _router.CloseConsumerAsync(Id);
            Submit(ToPeer(_status.Refused(answer.ErrorReason, DateTimeOffset.UtcNow)) with { Closed = true });
            return;
        }
        RunMedia(_router.ResumeConsumerAsync(Id), request: null, score =>
        {
            Log.Info("peer {0} accepted consumer {1}", _spec.PeerId, Id);
            var events = _status.Accepted(DateTimeOffset.UtcNow);
            return score is null ? ToPeer(events) : ToPeer(events, _status.ScoreNotification(score));
        });
    }

    private void OnRequest(DelegatedRequest request)
    {
        switch (request.Request)
        {
            case ConsumerRequest { Method: "pauseConsumer" or "resumeConsumer" } pause:
                var paused = pause.Method == "pauseConsumer";
                if (_status.SetPaused(paused, DateTimeOffset.UtcNow).Count == 0)
                    Submit(Reply(request, CommandResult.Ok()));
                else
                    RunMedia(_router.SetConsumerPausedAsync(Id, paused), request,
                        () => Reply(request, CommandResult.Ok(), _status.SetPaused(paused, DateTimeOffset.UtcNow)));
                break;
            case ConsumerRequest { Method: "requestConsumerKeyFrame" }:
                RunMedia(_router.RequestConsumerKeyFrameAsync(Id), request, () => Reply(request, CommandResult.Ok()));
                break;
            case ConsumerRequest { Method: "getConsumerStats" }:
                RunMedia(_router.GetConsumerStatsAsync(Id), request, stats => Reply(request, CommandResult.Ok(stats)));
                break;
            case SetConsumerPreferredLayers layers:
                RunMedia(_router.SetConsumerPreferredLayersAsync(Id, layers.SpatialLayer, layers.TemporalLayer), request,
                    () => Reply(request, CommandResult.Ok()));
                break;
            case SetConsumerPriority priority:
                RunMedia(_router.SetConsumerPriorityAsync(Id, priority.Priority), request, () => Reply(request, CommandResult.Ok()));
                break;
            default:
                Submit(Reply(request, CommandResult.Error($"unknown request.method \"{request.Request.Method}\"")));
                break;
        }
    }

    private ChildDecision ToPeer(IReadOnlyList<IRoomEvent> events, ISessionMessage? message = null) => Decided(events, _spec.Session, message);
}
