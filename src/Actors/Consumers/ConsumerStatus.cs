using Actors.Peers;
using Actors.Rooms;
using MediaEngine.Consumers;

namespace Actors.Consumers;

/// <summary>
/// A consumer as its actor knows it, with the rules of its requests as pure functions: each
/// decides the room events a command causes (none when it changes nothing), and
/// <see cref="Apply"/> is the only way the status changes.
/// </summary>
public sealed record ConsumerStatus(string ConsumerId, string PeerId, string ProducerId, bool Paused, bool ProducerPaused, bool AwaitingAnswer)
{
    public static ConsumerStatus From(ConsumerSpec spec) =>
        new(spec.ConsumerId, spec.PeerId, spec.ProducerId, spec.Paused, spec.ProducerPaused, AwaitingAnswer: spec.Offer is not null);

    /// <summary>pauseConsumer/resumeConsumer: an event only if it changes the consumer.</summary>
    public IReadOnlyList<IRoomEvent> SetPaused(bool paused, DateTimeOffset now)
    {
        if (Paused == paused)
            return [];
        return paused
            ? [new ConsumerPaused(PeerId, ConsumerId, "pauseConsumer", now)]
            : [new ConsumerResumed(PeerId, ConsumerId, "resumeConsumer", now)];
    }

    /// <summary>The peer accepted newConsumer, and the consumer was resumed on the router.</summary>
    public IReadOnlyList<IRoomEvent> Accepted(DateTimeOffset now) =>
        AwaitingAnswer ? [new ConsumerResumed(PeerId, ConsumerId, "newConsumer accepted", now)] : [];

    /// <summary>The peer refused newConsumer (or never answered): the consumer closes.</summary>
    public IReadOnlyList<IRoomEvent> Refused(string? reason, DateTimeOffset now) =>
        AwaitingAnswer ? [new ConsumerClosed(PeerId, ConsumerId, $"newConsumer refused: {reason}", now)] : [];

    public ConsumerStatus Apply(IRoomEvent e) => e switch
    {
        ConsumerPaused p when p.ConsumerId == ConsumerId => this with { Paused = true },
        ConsumerResumed r when r.ConsumerId == ConsumerId => this with { Paused = false, AwaitingAnswer = false },
        ConsumerClosed c when c.ConsumerId == ConsumerId => this with { AwaitingAnswer = false },
        Rooms.ProducerPaused p when p.ProducerId == ProducerId => this with { ProducerPaused = true },
        ProducerResumed r when r.ProducerId == ProducerId => this with { ProducerPaused = false },
        _ => this,
    };

    /// <summary>consumerPaused/consumerResumed for the producer's pause or resume, if it changes anything.</summary>
    public NotifyPeer? ProducerPauseNotification(IRoomEvent producerChange) => producerChange switch
    {
        Rooms.ProducerPaused p when p.ProducerId == ProducerId && !ProducerPaused => new NotifyPeer("consumerPaused", JsonData.Of(new { consumerId = ConsumerId })),
        ProducerResumed r when r.ProducerId == ProducerId && ProducerPaused => new NotifyPeer("consumerResumed", JsonData.Of(new { consumerId = ConsumerId })),
        _ => null,
    };

    /// <summary>mediasoup-demo's consumerScore notification.</summary>
    public NotifyPeer ScoreNotification(ConsumerScore score) => new("consumerScore", JsonData.Of(new
    {
        consumerId = ConsumerId,
        score = new { score = score.Score, producerScore = score.ProducerScore, producerScores = score.ProducerScores },
    }));

    /// <summary>mediasoup-demo's consumerLayersChanged notification (layers absent when none is forwarded).</summary>
    public NotifyPeer LayersNotification(ConsumerLayersChanged layers) => new("consumerLayersChanged", JsonData.Of(new
    {
        consumerId = ConsumerId,
        spatialLayer = layers.SpatialLayer,
        temporalLayer = layers.TemporalLayer,
    }));
}
