using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;

namespace Actors.Rooms;

/// <summary>
/// In a cluster, this node's door to the rooms, standing where <see cref="RoomManagerActor"/> stands on
/// one node: connections and HTTP commands go to the rooms' shard region, which delivers them to the
/// room's node (starting the room there if needed); <see cref="GetRooms"/> lists the rooms this node
/// hosts; <see cref="StopAllRooms"/> hands this node's rooms off to the other nodes.
/// </summary>
public sealed class ShardedRoomsActor : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _waitingForHandOff = new();

    public ShardedRoomsActor(IActorRef region)
    {
        Receive<ConnectPeer>(connect => region.Forward(connect));
        Receive<RoomRequest>(request => region.Forward(request));
        Receive<GetRooms>(_ => HostedRoomsAsync(region).PipeTo(Sender));
        Receive<GetClusterView>(_ => ClusterViewAsync(Context.System, Self.Path.Name, region).PipeTo(Sender));
        Receive<GetNodeLoad>(_ => RoomMetrics.GatherAsync(Self, LoadTimeout)
            .ContinueWith(t => t.IsCompletedSuccessfully ? new NodeLoad(t.Result.Peers) : new NodeLoad(null), TaskScheduler.Default)
            .PipeTo(Sender));
        Receive<StopAllRooms>(_ =>
        {
            _waitingForHandOff.Add(Sender);
            if (_waitingForHandOff.Count > 1)
                return;
            _log.Info("handing this node's rooms off to the other nodes");
            Context.Watch(region);
            region.Tell(GracefulShutdown.Instance);
        });
        Receive<Terminated>(terminated => Equals(terminated.ActorRef, region), _ =>
        {
            foreach (var waiting in _waitingForHandOff)
                waiting.Tell(RoomsStopped.Instance);
            _waitingForHandOff.Clear();
        });
    }

    public static Props Props(IActorRef region) => FactoryProps.Of(() => new ShardedRoomsActor(region));

    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The members as this node sees them, with the rooms each hosts (from the shard regions' statistics)
    /// and the peers connected to those rooms (each reachable node's door asked for its own).
    /// </summary>
    private static async Task<ClusterView> ClusterViewAsync(ActorSystem system, string doorName, IActorRef region)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var timeout = TimeSpan.FromSeconds(5);
        var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + TimeSpan.FromSeconds(1));
        var hosted = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout);
        var state = cluster.State;
        var roomsByNode = stats.Regions.ToDictionary(r => r.Key.ToString(), r => (int?)r.Value.Stats.Values.Sum());
        var members = state.Members.ToList();
        var peers = await Task.WhenAll(members.Select(m => state.Unreachable.Contains(m) ? Task.FromResult<int?>(null) : PeersOnAsync(system, m.Address, doorName)));
        return new ClusterView(
            cluster.SelfAddress.ToString(),
            state.Leader?.ToString(),
            [.. hosted.Shards.SelectMany(shard => shard.EntityIds).Order(StringComparer.Ordinal)],
            [.. members.Select((m, i) => new ClusterMemberView(m.Address.ToString(), m.Status.ToString(), state.Unreachable.Contains(m),
                roomsByNode.GetValueOrDefault(m.Address.ToString()), peers[i]))]);
    }

    /// <summary>The peers connected to the rooms a node hosts, as that node's door counts them; null if it does not answer in time.</summary>
    private static async Task<int?> PeersOnAsync(ActorSystem system, Address node, string doorName)
    {
        try
        {
            var load = await system.ActorSelection(new RootActorPath(node) / "user" / doorName).Ask<NodeLoad>(GetNodeLoad.Instance, LoadTimeout);
            return load.Peers;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>The rooms this node hosts: its shards' entities, each the shard's child named by its escaped id.</summary>
    private static async Task<RoomList> HostedRoomsAsync(IActorRef region)
    {
        var timeout = TimeSpan.FromSeconds(5);
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout);
        var rooms = await Task.WhenAll(state.Shards.SelectMany(shard => shard.EntityIds.Select(async entityId =>
        {
            try
            {
                return await new ActorSelection(region, $"{Uri.EscapeDataString(shard.ShardId)}/{Uri.EscapeDataString(entityId)}").ResolveOne(timeout);
            }
            catch (ActorNotFoundException)
            {
                return null;
            }
        })));
        return new RoomList([.. rooms.OfType<IActorRef>()]);
    }
}

/// <summary>To the rooms' door of a cluster node: answered with <see cref="ClusterView"/>.</summary>
public sealed record GetClusterView
{
    public static readonly GetClusterView Instance = new();
}

/// <summary>GET /cluster: the members as the answering node sees them, and the rooms it hosts.</summary>
public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<string> HostedRooms, IReadOnlyList<ClusterMemberView> Members);

/// <param name="Status">Joining, Up, Leaving, Exiting, Down, Removed.</param>
/// <param name="Rooms">The rooms it hosts; null while its shard region is not known to the others yet (it hosts none then).</param>
/// <param name="Peers">The peers connected to those rooms; null when the node did not answer in time.</param>
public sealed record ClusterMemberView(string Address, string Status, bool Unreachable, int? Rooms, int? Peers);

/// <summary>Between the rooms' doors of a cluster's nodes: answered with <see cref="NodeLoad"/>.</summary>
public sealed record GetNodeLoad : Peers.ISessionMessage
{
    public static readonly GetNodeLoad Instance = new();
}

/// <param name="Peers">The peers connected to the rooms the node hosts; null if its rooms did not answer in time.</param>
public sealed record NodeLoad(int? Peers) : Peers.ISessionMessage;
