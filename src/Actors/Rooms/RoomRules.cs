using Actors.Peers;

namespace Actors.Rooms;

/// <summary>A decision: the events that record it, or why the command is refused (then no events).</summary>
public sealed record Decision(IReadOnlyList<IRoomEvent> Events, string? Refusal = null)
{
    public static Decision Refuse(string why) => new([], why);
}

/// <summary>
/// The room's membership rules as pure functions: the room's state and a command in, the events
/// that record what happens out. <see cref="RoomActor"/> runs them, persists the events and
/// carries out what follows (answers, notifications, media).
/// </summary>
public static class RoomRules
{
    /// <summary>
    /// A protoo connection for <paramref name="peerId"/>: it opens the room if closed; an earlier
    /// member with that id is replaced (its media leaves with it), unless it is
    /// <paramref name="returning"/> after a recovery, when it is the same member back without media.
    /// </summary>
    public static IReadOnlyList<IRoomEvent> Connect(RoomState state, string peerId, string? remoteAddress, int consumerReplicas, bool returning,
        DateTimeOffset now)
    {
        var events = new List<IRoomEvent>();
        if (!state.Open)
            events.Add(new RoomCreated(state.RoomId, consumerReplicas, now));
        var previous = state.Open ? state.FindPeer(peerId) : null;
        if (returning && previous is not null)
        {
            events.AddRange(ProducerDeparture(state, peerId, PeerLeftReasons.Replaced, now));
            events.Add(new PeerRejoined(peerId, remoteAddress, now));
            return events;
        }
        if (previous is not null)
        {
            events.AddRange(ProducerDeparture(state, peerId, PeerLeftReasons.Replaced, now));
            events.Add(new PeerLeft(peerId, PeerLeftReasons.Replaced, now));
        }
        events.Add(new PeerConnected(peerId, remoteAddress, now));
        return events;
    }

    /// <summary>A join as journaled: the capability set only the first time the room sees it; later joins name it by its digest.</summary>
    public static PeerJoined JournalCapabilitiesOnce(RoomState state, PeerJoined joined) =>
        joined.RtpCapabilitiesDigest is { } digest && state.RtpCapabilitiesInJournal.Contains(digest)
            ? joined with { RtpCapabilities = null }
            : joined;

    /// <summary>A member leaves with its media; the room closes when it was the last connected one.</summary>
    public static IReadOnlyList<IRoomEvent> Leave(RoomState state, string peerId, string reason, string? detail, bool lastConnected, DateTimeOffset now)
    {
        var events = new List<IRoomEvent>(ProducerDeparture(state, peerId, reason, now));
        if (state.FindPeer(peerId) is not null)
            events.Add(new PeerLeft(peerId, reason, now) { Detail = detail });
        if (lastConnected)
            events.Add(new RoomClosed(now));
        return events;
    }

    /// <summary>A producer closing closes the consumers others had of it (before it).</summary>
    public static IEnumerable<ConsumerClosed> ConsumersClosedWith(RoomState state, string producerId, DateTimeOffset now) =>
        state.ConsumersOf(producerId).Select(c => new ConsumerClosed(c.Peer.Id, c.Consumer.Id, "producer closed", now));

    /// <summary>A departing member's producers and data producers close, each after the consumers of it that others had.</summary>
    public static IReadOnlyList<IRoomEvent> ProducerDeparture(RoomState state, string memberId, string reason, DateTimeOffset now)
    {
        var events = new List<IRoomEvent>();
        if (state.FindMember(memberId) is not { } member)
            return events;
        foreach (var producer in member.Producers)
        {
            events.AddRange(ConsumersClosedWith(state, producer.Id, now).Where(c => c.PeerId != memberId));
            events.Add(new ProducerClosed(memberId, producer.Id, reason, now));
        }
        foreach (var dataProducer in member.DataProducers)
        {
            events.AddRange(state.DataConsumersOf(dataProducer.Id).Where(c => c.Peer.Id != memberId)
                .Select(c => (IRoomEvent)new DataConsumerClosed(c.Peer.Id, c.DataConsumer.Id, "dataProducer closed", now)));
            events.Add(new DataProducerClosed(memberId, dataProducer.Id, reason, now));
        }
        return events;
    }
}
