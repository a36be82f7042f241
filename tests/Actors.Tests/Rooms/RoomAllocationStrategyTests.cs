using System.Collections.Immutable;
using Actors.Rooms;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Rooms;

public sealed class RoomAllocationStrategyTests : TestKit
{
    private readonly RoomAllocationStrategy _strategy = new();

    [Fact]
    public async Task A_new_shard_goes_to_the_node_with_the_fewest_the_asking_node_first_among_equals()
    {
        var (a, b, c) = (CreateTestProbe().Ref, CreateTestProbe().Ref, CreateTestProbe().Ref);
        var allocations = ImmutableDictionary<IActorRef, IImmutableList<string>>.Empty
            .Add(a, ImmutableList.Create("1", "2"))
            .Add(b, ImmutableList.Create("3"))
            .Add(c, ImmutableList.Create("4"));

        Assert.Equal(c, await _strategy.AllocateShard(c, "5", allocations));
        Assert.Contains(await _strategy.AllocateShard(a, "5", allocations), new[] { b, c });
        Assert.Equal(a, await _strategy.AllocateShard(a, "1", ImmutableDictionary<IActorRef, IImmutableList<string>>.Empty));
    }

    [Fact]
    public async Task Shards_are_never_moved_however_uneven()
    {
        var (a, b) = (CreateTestProbe().Ref, CreateTestProbe().Ref);
        var allocations = ImmutableDictionary<IActorRef, IImmutableList<string>>.Empty
            .Add(a, ImmutableList.Create(Enumerable.Range(0, 50).Select(i => i.ToString()).ToArray()))
            .Add(b, ImmutableList<string>.Empty);

        Assert.Empty(await _strategy.Rebalance(allocations, ImmutableHashSet<string>.Empty));
    }
}
