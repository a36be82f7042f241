namespace Actors.Rooms;

/// <summary>
/// Broadcasters and plain transports count against limits of the whole node (server.max-broadcasters,
/// server.max-plain-transports: a plain transport holds RTC ports), shared by its rooms. The room holds
/// a place for each one its state has, and gives them back when they leave its state or the room stops.
/// </summary>
public sealed partial class RoomActor
{
    private readonly HashSet<string> _heldBroadcasters = new();
    private readonly HashSet<string> _heldPlainTransports = new();
    private readonly HashSet<NodePlace> _pendingNodePlaces = new();

    /// <summary>A place taken for one being created: <see cref="HandOver"/> makes it the new one's, <see cref="ReleaseIfPending"/> gives it back.</summary>
    private sealed class NodePlace(NodeQuota quota, HashSet<string> held, HashSet<NodePlace> pending)
    {
        public void HandOver(string id)
        {
            if (!pending.Remove(this))
                return;
            if (!held.Add(id))
                quota.Release();
        }

        public void ReleaseIfPending()
        {
            if (pending.Remove(this))
                quota.Release();
        }
    }

    private NodePlace? TryTakeBroadcasterPlace(Action<CommandResult> reply) =>
        TryTakeNodePlace(_settings.NodeBroadcasters, _heldBroadcasters, "broadcasters", reply);

    private NodePlace? TryTakePlainTransportPlace(Action<CommandResult> reply) =>
        TryTakeNodePlace(_settings.NodePlainTransports, _heldPlainTransports, "plain transports", reply);

    private NodePlace? TryTakeNodePlace(NodeQuota quota, HashSet<string> held, string what, Action<CommandResult> reply)
    {
        if (!quota.TryTake())
        {
            reply(CommandResult.Unavailable($"too many {what} on this server (limit {quota.Limit})"));
            return null;
        }
        var place = new NodePlace(quota, held, _pendingNodePlaces);
        _pendingNodePlaces.Add(place);
        return place;
    }

    /// <summary>Holds a place for each broadcaster and plain transport of the state, and only for those.</summary>
    private void ReconcileNodePlaces()
    {
        if (_heldBroadcasters.Count == 0 && _state.Broadcasters.IsEmpty)
            return;
        Reconcile(_heldBroadcasters, _state.Broadcasters.Select(b => b.Id), _settings.NodeBroadcasters);
        Reconcile(_heldPlainTransports,
            _state.Broadcasters.SelectMany(b => b.Media.Transports).Where(t => t.Plain is not null).Select(t => t.Id),
            _settings.NodePlainTransports);
    }

    private static void Reconcile(HashSet<string> held, IEnumerable<string> inState, NodeQuota quota)
    {
        var present = inState.ToHashSet();
        foreach (var gone in held.Where(id => !present.Contains(id)).ToList())
        {
            held.Remove(gone);
            quota.Release();
        }
        foreach (var id in present)
        {
            if (held.Add(id))
                quota.Take();
        }
    }

    private void ReleaseNodePlaces()
    {
        foreach (var place in _pendingNodePlaces.ToList())
            place.ReleaseIfPending();
        for (var i = 0; i < _heldBroadcasters.Count; i++)
            _settings.NodeBroadcasters.Release();
        for (var i = 0; i < _heldPlainTransports.Count; i++)
            _settings.NodePlainTransports.Release();
        _heldBroadcasters.Clear();
        _heldPlainTransports.Clear();
    }
}
