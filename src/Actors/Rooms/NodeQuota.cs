namespace Actors.Rooms;

/// <summary>
/// A count shared by every room of this node (its broadcasters, its plain transports), within a
/// limit; 0: no limit. Rooms take places from their own threads, so it is lock-free.
/// </summary>
public sealed class NodeQuota(int limit)
{
    private int _taken;

    public int Limit => limit;

    /// <summary>One more place, unless the limit is reached.</summary>
    public bool TryTake()
    {
        while (true)
        {
            var taken = Volatile.Read(ref _taken);
            if (limit > 0 && taken >= limit)
                return false;
            if (Interlocked.CompareExchange(ref _taken, taken + 1, taken) == taken)
                return true;
        }
    }

    /// <summary>One more place whatever the limit: what a recovered room already had.</summary>
    public void Take() => Interlocked.Increment(ref _taken);

    public void Release() => Interlocked.Decrement(ref _taken);
}
