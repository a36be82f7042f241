using Actors.Media;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using MediaEngine.Producers;

namespace Actors.Producers;

/// <summary>
/// One producer of a room: runs its owner's requests about it (pause/resume, stats, close) on the
/// router by id and decides their events, and turns its score changes into the owner's
/// producerScore notifications. What a decision means for the producer's consumers (closed with
/// it, told of a pause) the room carries out, since it knows who consumes what.
/// </summary>
public sealed class ProducerActor : RoomChildActor
{
    private readonly ProducerSpec _spec;
    private readonly IRouterGateway _router;
    private bool _paused;

    public ProducerActor(ProducerSpec spec, IRouterGateway router, IActorRef room) : base(spec.ProducerId, room)
    {
        _spec = spec;
        _router = router;
        _paused = spec.Paused;
    }

    public static Props Props(ProducerSpec spec, IRouterGateway router, IActorRef room) =>
        FactoryProps.Of(() => new ProducerActor(spec, router, room));

    public static CommandFailure NotFound(string producerId) => CommandResult.Error($"producer with id \"{producerId}\" not found");

    protected override CommandFailure NotFound() => NotFound(Id);

    protected override void Apply(IRoomEvent e)
    {
        switch (e)
        {
            case ProducerPaused paused when paused.ProducerId == Id:
                _paused = true;
                break;
            case ProducerResumed resumed when resumed.ProducerId == Id:
                _paused = false;
                break;
        }
    }

    protected override bool HandleNow(object message)
    {
        if (message is not ProducerScore score)
            return false;
        Submit(Decided([], _spec.Session, new NotifyPeer("producerScore", JsonData.Of(new { producerId = Id, score = ScoreEntries(score) }))));
        return true;
    }

    protected override void Handle(object message)
    {
        if (message is DelegatedRequest request)
            OnRequest(request);
        else
            Unhandled(message);
    }

    private void OnRequest(DelegatedRequest request)
    {
        switch (request.Request)
        {
            case ProducerRequest { Method: "pauseProducer" or "resumeProducer" } pause:
                var paused = pause.Method == "pauseProducer";
                if (paused == _paused)
                    Submit(Reply(request, CommandResult.Ok()));
                else
                    RunMedia(_router.SetProducerPausedAsync(Id, paused), request, () => Reply(request, CommandResult.Ok(),
                        [paused ? new ProducerPaused(_spec.OwnerId, Id, DateTimeOffset.UtcNow) : new ProducerResumed(_spec.OwnerId, Id, DateTimeOffset.UtcNow)]));
                break;
            case ProducerRequest { Method: "getProducerStats" }:
                RunMedia(_router.GetProducerStatsAsync(Id), request, stats => Reply(request, CommandResult.Ok(stats)));
                break;
            case ProducerRequest { Method: "closeProducer" }:
                RunMedia(_router.CloseProducerAsync(Id), request, () =>
                    Reply(request, CommandResult.Ok(), [new ProducerClosed(_spec.OwnerId, Id, "closeProducer", DateTimeOffset.UtcNow)]) with { Closed = true });
                break;
            default:
                Submit(Reply(request, CommandResult.Error($"unknown request.method \"{request.Request.Method}\"")));
                break;
        }
    }

    /// <summary>mediasoup's producer score entries: rid only for a simulcast stream that has one.</summary>
    private static object[] ScoreEntries(ProducerScore score) =>
        score.Scores
            .Select(s => s.Rid is null
                ? (object)new { encodingIdx = s.EncodingIdx, ssrc = s.Ssrc, score = s.Score }
                : new { encodingIdx = s.EncodingIdx, ssrc = s.Ssrc, rid = s.Rid, score = s.Score })
            .ToArray();
}
