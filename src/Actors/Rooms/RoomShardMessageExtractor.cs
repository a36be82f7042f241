using Akka.Cluster.Sharding;

namespace Actors.Rooms;

/// <summary>
/// Which room a message to the rooms' shard region is for: a peer's connection (<see cref="ConnectPeer"/>)
/// or an HTTP command (<see cref="RoomRequest"/>, delivered as it is: the entity checks that the room is
/// open). Rooms are spread over a fixed number of shards by a hash of their id.
/// </summary>
public sealed class RoomShardMessageExtractor() : HashCodeMessageExtractor(MaxShards)
{
    /// <summary>Ten per node of a large cluster: shards, not rooms, are what moves between nodes.</summary>
    public const int MaxShards = 100;

    public override string? EntityId(object message) => message switch
    {
        ConnectPeer connect => connect.RoomId,
        RoomRequest request => request.RoomId,
        _ => null,
    };
}
