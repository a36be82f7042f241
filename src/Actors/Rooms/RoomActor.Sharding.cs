using Actors.Peers;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Actors.Rooms;

/// <summary>
/// A room as an entity of a cluster's shard region (<see cref="RoomSettings.Sharded"/>): it holds one
/// of its node's room places while open, answers HTTP commands for a room that is not open with 404,
/// and stops through its shard (passivation), which holds what arrives meanwhile for a fresh
/// incarnation, as the room manager does on one node.
/// </summary>
public sealed partial class RoomActor
{
    private static readonly TimeSpan ClosedRecoveryGrace = TimeSpan.FromSeconds(10);

    private sealed record PassivateIfClosed
    {
        public static readonly PassivateIfClosed Instance = new();
    }

    private sealed record BeginPassivation
    {
        public static readonly BeginPassivation Instance = new();
    }

    private bool _holdsNodeRoomPlace;

    /// <summary>The room asked its shard to stop it: what still reaches it goes back to the shard, which keeps it for the next incarnation.</summary>
    private bool _passivating;
    private ICancelable? _closedRecoveryTimer;

    private void RegisterShardingCommands()
    {
        Command<RoomRequest>(request => _passivating, request => Context.Parent.Forward(request));
        Command<ConnectPeer>(connect => _passivating, connect => Context.Parent.Forward(connect));
        Command<RoomRequest>(OnRoomRequest);
        Command<BeginPassivation>(_ =>
        {
            // Someone connected while the closing was written: the room stays.
            if (_passivating || _state.Open || _sessions.Count > 0)
                return;
            _passivating = true;
            Context.Parent.Tell(new Passivate(StopIfIdle.Instance));
        });
        Command<PassivateIfClosed>(_ =>
        {
            if (!_state.Open && _sessions.Count == 0)
                StopWhenWritten();
        });
    }

    /// <summary>In a cluster, after recovery: an open room takes its node place; a closed one (remembered by its shard) goes again unless someone comes.</summary>
    private void OnShardedRecovery()
    {
        if (!_settings.Sharded)
            return;
        if (_state.Open)
            TakeNodeRoomPlace(force: true);
        else
            _closedRecoveryTimer = Context.System.Scheduler.ScheduleTellOnceCancelable(ClosedRecoveryGrace, Self, PassivateIfClosed.Instance, Self);
    }

    /// <summary>A connection to this room: in a cluster, the room needs a place on its node first.</summary>
    private bool TryOpenOnThisNode(IActorRef session)
    {
        if (!_settings.Sharded || _holdsNodeRoomPlace || TakeNodeRoomPlace(force: false))
            return true;
        Send(session, CommandResult.Unavailable($"too many rooms on this server (limit {_settings.NodeRooms.Limit})"));
        if (_sessions.Count == 0)
            StopWhenWritten();
        return false;
    }

    private bool TakeNodeRoomPlace(bool force)
    {
        if (force)
            _settings.NodeRooms.Take();
        else if (!_settings.NodeRooms.TryTake())
            return false;
        _holdsNodeRoomPlace = true;
        return true;
    }

    private void ReleaseShardedRoom()
    {
        _closedRecoveryTimer?.Cancel();
        if (_holdsNodeRoomPlace)
            _settings.NodeRooms.Release();
        _holdsNodeRoomPlace = false;
    }

    /// <summary>An HTTP command routed to this entity: a room that is not open does not exist for the HTTP API.</summary>
    private void OnRoomRequest(RoomRequest request)
    {
        if (_state.Open || _sessions.Count > 0)
        {
            Self.Forward(request.Command);
            return;
        }
        Send(Sender, CommandResult.NotFound($"room with id \"{_roomId}\" not found"));
        StopWhenWritten();
    }

    /// <summary>
    /// The room is closed: on one node its manager stops it (holding connections meanwhile); in a
    /// cluster its shard does (passivation), and a connection that reached the room before the shard
    /// knew goes back to the shard for the next incarnation. Once its last events are written.
    /// </summary>
    private void StopWhenWritten()
    {
        if (_settings.Sharded)
            Send(Self, BeginPassivation.Instance);
        else
            Send(Context.Parent, new RoomIdle(_roomId));
    }
}
