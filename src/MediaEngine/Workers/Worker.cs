using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using MediaEngine.Net;

namespace MediaEngine.Workers;

/// <summary>
/// One media thread, as mediasoup's C++ worker: its sockets, timers and control commands all
/// run here, so per-packet work is single-threaded, lock-free and never hops a mailbox.
/// Other threads talk to it with <see cref="Post"/> and <see cref="InvokeAsync{T}"/>.
/// </summary>
public sealed class Worker : IDisposable
{
    private static readonly TimeSpan MaxIdleWait = TimeSpan.FromMilliseconds(250);

    private readonly Thread _thread;
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly SocketPoller _poller;
    private volatile bool _stopping;

    private readonly List<PeriodicTimer> _timers = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private sealed class PeriodicTimer(TimeSpan period, Action tick, TimeSpan due) : IDisposable
    {
        public TimeSpan Period { get; } = period;
        public Action Tick { get; } = tick;
        public TimeSpan Due { get; set; } = due;
        public bool Cancelled { get; private set; }
        public void Dispose() => Cancelled = true;
    }

    public Worker(int index) : this(index, SocketPoller.Create())
    {
    }

    /// <summary>With a given wait (tests run the portable one on Linux too).</summary>
    internal Worker(int index, SocketPoller poller)
    {
        Index = index;
        _poller = poller;
        _thread = new Thread(Run) { IsBackground = true, Name = $"media-worker-{index}" };
        _thread.Start();
    }

    public int Index { get; }

    /// <summary>Monotonic time of this worker, what sans-IO protocol objects take as "now".</summary>
    public TimeSpan Now => _clock.Elapsed;

    public bool IsWorkerThread => Thread.CurrentThread == _thread;

    /// <summary>Errors thrown by packet or timer handlers: counted, logged by the owner, never fatal.</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);
    private long _handlerErrors;

    public Action<Exception>? OnHandlerError { get; set; }

    /// <summary>Worker thread only: the counters of the media objects closed on this worker, kept so the worker's totals never go back.</summary>
    internal WorkerMetrics ClosedTotals { get; } = new();

    public void Post(Action command)
    {
        _commands.Enqueue(command);
        if (!IsWorkerThread)
            _poller.Wake();
    }

    public Task<T> InvokeAsync<T>(Func<T> function)
    {
        if (_stopping)
            return Task.FromException<T>(new ObjectDisposedException($"media worker {Index}"));
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                completion.SetResult(function());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        });
        return completion.Task;
    }

    public Task InvokeAsync(Action action) => InvokeAsync(() =>
    {
        action();
        return true;
    });

    /// <summary>
    /// Worker thread only: call <paramref name="onReadable"/> whenever the socket has data (or a pending
    /// accept), as long as some is left. Remove the socket before disposing it.
    /// </summary>
    public void AddSocket(Socket socket, Action onReadable)
    {
        EnsureWorkerThread();
        _poller.Add(socket, onReadable);
    }

    public void RemoveSocket(Socket socket)
    {
        EnsureWorkerThread();
        _poller.Remove(socket);
    }

    /// <summary>Worker thread only: runs <paramref name="tick"/> every <paramref name="period"/>; dispose to stop.</summary>
    public IDisposable Every(TimeSpan period, Action tick)
    {
        EnsureWorkerThread();
        var timer = new PeriodicTimer(period, tick, Now + period);
        _timers.Add(timer);
        return timer;
    }

    private void EnsureWorkerThread()
    {
        if (!IsWorkerThread)
            throw new InvalidOperationException($"must run on media worker {Index}");
    }

    private void Run()
    {
        while (!_stopping)
        {
            RunCommands();
            if (_stopping)
                break;
            var wait = RunDueTimers();
            var ready = _poller.Wait(wait);
            for (var i = 0; i < ready; i++)
            {
                if (_poller.TryGetReady(i, out var handler))
                    Guarded(handler);
            }
        }
        RunCommands();
        _poller.Dispose(); // here, not in Dispose: a wait or a handler may still be using it until the loop ends
    }

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var command))
            Guarded(command);
    }

    private TimeSpan RunDueTimers()
    {
        _timers.RemoveAll(t => t.Cancelled);
        var wait = MaxIdleWait;
        var now = Now;
        var count = _timers.Count;
        for (var i = 0; i < count; i++)
        {
            var timer = _timers[i];
            if (timer.Cancelled)
                continue;
            if (timer.Due <= now)
            {
                Guarded(timer.Tick);
                timer.Due = now + timer.Period;
            }
            var untilDue = timer.Due - now;
            if (untilDue < wait)
                wait = untilDue;
        }
        return wait;
    }

    private void Guarded(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            ReportHandlerError(e);
        }
    }

    /// <summary>Worker thread: a handler that catches its own errors (to go on with a batch) still counts and reports them.</summary>
    internal void ReportHandlerError(Exception e)
    {
        Interlocked.Increment(ref _handlerErrors);
        OnHandlerError?.Invoke(e);
    }

    public void Dispose()
    {
        _stopping = true;
        Post(() => { });
        if (!IsWorkerThread)
            _thread.Join(TimeSpan.FromSeconds(5));
    }
}
