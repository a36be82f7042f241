using Akka.Actor;

namespace Actors.Rooms;

/// <summary>To <see cref="RoomManagerActor"/>: answered with <see cref="RoomList"/>.</summary>
public sealed record GetRooms
{
    public static readonly GetRooms Instance = new();
}

/// <summary>The running room actors.</summary>
public sealed record RoomList(IReadOnlyList<IActorRef> Rooms);

/// <summary>
/// Rooms and their members right now (what /metrics shows): <paramref name="Rooms"/> open,
/// <paramref name="Peers"/> connected of which <paramref name="JoinedPeers"/> joined,
/// <paramref name="Broadcasters"/>, and room actors that did not answer in time (<paramref name="NotAnswering"/>,
/// e.g. busy restoring media after a restart).
/// </summary>
public sealed record RoomMetrics(int Rooms, int Peers, int JoinedPeers, int Broadcasters, int NotAnswering)
{
    /// <summary>Asks every running room for its state at once.</summary>
    public static async Task<RoomMetrics> GatherAsync(IActorRef roomManager, TimeSpan timeout)
    {
        var list = await roomManager.Ask<RoomList>(GetRooms.Instance, timeout);
        var states = await Task.WhenAll(list.Rooms.Select(room => AskOrNull(room, timeout)));
        var open = states.OfType<RoomState>().Where(s => s.Open).ToList();
        return new RoomMetrics(
            open.Count,
            open.Sum(s => s.Peers.Count),
            open.Sum(s => s.JoinedPeers.Count()),
            open.Sum(s => s.Broadcasters.Count),
            states.Count(s => s is null));
    }

    private static async Task<RoomState?> AskOrNull(IActorRef room, TimeSpan timeout)
    {
        try
        {
            return await room.Ask<RoomState>(GetRoomState.Instance, timeout);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
