using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Actors.Rooms;

/// <summary>
/// Where a cluster puts rooms: a new shard (with its rooms) goes to the node that holds the fewest,
/// the asking node first among equals; a shard never moves while its node is up, since moving a
/// room would cut its media. Shards move only when their node leaves (hand-off) or is lost.
/// </summary>
public sealed class RoomAllocationStrategy : IShardAllocationStrategy
{
    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        if (currentShardAllocations.Count == 0)
            return Task.FromResult(requester);
        var fewest = currentShardAllocations.Values.Min(shards => shards.Count);
        var candidates = currentShardAllocations.Where(region => region.Value.Count == fewest).Select(region => region.Key).ToList();
        return Task.FromResult(candidates.Contains(requester)
            ? requester
            : candidates.OrderBy(region => region.Path.Address.ToString(), StringComparer.Ordinal).First());
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations,
        IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}
