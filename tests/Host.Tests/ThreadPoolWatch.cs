using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Host.Tests;

/// <summary>
/// Measures, for the whole test process, how long a work item waits before the thread pool runs
/// it, and keeps every wait over a second: when a browser test times out, this tells whether the
/// servers in this process were starved or the time went elsewhere.
/// </summary>
public static class ThreadPoolWatch
{
    private static readonly TimeSpan Reported = TimeSpan.FromSeconds(1);
    private static readonly List<string> Stalls = new();

    [ModuleInitializer]
    internal static void Start()
    {
        var thread = new Thread(Watch) { IsBackground = true, Name = "thread-pool watch" };
        thread.Start();
    }

    /// <summary>The stalls seen since the process started, each with its time, length and the pool's state then.</summary>
    public static IReadOnlyList<string> StallsSoFar()
    {
        lock (Stalls) return Stalls.ToList();
    }

    private static void Watch()
    {
        using var ran = new ManualResetEventSlim();
        while (true)
        {
            ran.Reset();
            var queued = Stopwatch.StartNew();
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Set(), ran, preferLocal: false);
            if (!ran.Wait(Reported))
            {
                var pending = ThreadPool.PendingWorkItemCount;
                var threads = ThreadPool.ThreadCount;
                ran.Wait();
                lock (Stalls)
                    Stalls.Add($"{DateTime.UtcNow:HH:mm:ss.fff} thread pool stalled {queued.Elapsed.TotalSeconds:F1} s ({threads} threads, {pending} items waiting)");
            }
            Thread.Sleep(250);
        }
    }
}
