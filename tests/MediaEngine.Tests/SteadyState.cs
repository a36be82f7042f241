namespace MediaEngine.Tests;

/// <summary>
/// Measures what steady-state work allocates on the calling thread. The runtime now and then bills a one-off
/// allocation to the measuring thread (a tier-1 promotion or an on-stack replacement landing mid-measurement,
/// seen in loaded CI runs), so the work runs in several windows and the quietest one is judged: an allocation
/// the work itself makes shows in every window, a one-off in one only.
/// </summary>
internal static class SteadyState
{
    public const int Windows = 3;

    /// <summary>Bytes allocated by each of <see cref="Windows"/> runs of <paramref name="window"/>, given the window's index.</summary>
    public static long[] AllocationsPerWindow(Action<int> window)
    {
        var allocations = new long[Windows];
        for (var index = 0; index < Windows; index++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            window(index);
            allocations[index] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        return allocations;
    }

    public static void AssertAllocatesNothing(Action window) => AssertAllocatesNothing(_ => window());

    /// <summary>Fails unless one window at least allocated nothing; the window is given its index.</summary>
    public static void AssertAllocatesNothing(Action<int> window)
    {
        var allocations = AllocationsPerWindow(window);
        Assert.True(allocations.Min() == 0, $"bytes allocated per window: {string.Join(", ", allocations)}");
    }
}
