using System.Net.Sockets;

namespace MediaEngine.Net;

/// <summary>
/// How a worker waits for its sockets to become readable, or for a wake-up from another thread.
/// Worker thread only, except <see cref="Wake"/>. Readiness is level-triggered: a socket whose handler
/// leaves data behind (the cap on datagrams per wake-up) is reported again by the next wait.
/// </summary>
internal abstract class SocketPoller : IDisposable
{
    private int _wakePending;

    /// <summary>epoll on Linux x64/arm64 (allocation-free, cost in proportion to the ready sockets), Socket.Select elsewhere.</summary>
    public static SocketPoller Create() => EpollSocketPoller.IsSupported ? new EpollSocketPoller() : new SelectSocketPoller();

    /// <summary>Registers <paramref name="socket"/>, or replaces its handler. Remove it before disposing it.</summary>
    public abstract void Add(Socket socket, Action onReadable);

    public abstract void Remove(Socket socket);

    /// <summary>Blocks until a registered socket is readable, a wake-up, or <paramref name="timeout"/>; returns how many entries <see cref="TryGetReady"/> can read.</summary>
    public abstract int Wait(TimeSpan timeout);

    /// <summary>The handler of ready entry <paramref name="index"/> of the last wait; false if there is none to run (wake-up, or removed meanwhile).</summary>
    public abstract bool TryGetReady(int index, out Action onReadable);

    /// <summary>Any thread: makes the current or next wait return; coalesced until the worker sees it.</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
            Signal();
    }

    /// <summary>Worker thread, when the wake-up is seen: before draining, so a wake-up racing the drain is not lost.</summary>
    protected void ClearWakePending() => Interlocked.Exchange(ref _wakePending, 0);

    protected abstract void Signal();

    public abstract void Dispose();
}
