using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

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
    private readonly Socket _wakeReceiver;
    private readonly Socket _wakeSender;
    private readonly byte[] _wakeBuffer = new byte[64];
    private int _wakePending;
    private volatile bool _stopping;

    private readonly Dictionary<Socket, Action> _readHandlers = new();
    private readonly List<Socket> _readList = new();
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

    public Worker(int index)
    {
        Index = index;
        _wakeReceiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeSender.Connect(_wakeReceiver.LocalEndPoint!);
        _readHandlers[_wakeReceiver] = DrainWakeups;
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

    public void Post(Action command)
    {
        _commands.Enqueue(command);
        if (!IsWorkerThread && Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            try
            {
                _wakeSender.Send([1]);
            }
            catch (ObjectDisposedException)
            {
            }
        }
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

    /// <summary>Worker thread only: call <paramref name="onReadable"/> whenever the socket has data (or a pending accept).</summary>
    public void AddSocket(Socket socket, Action onReadable)
    {
        EnsureWorkerThread();
        _readHandlers[socket] = onReadable;
    }

    public void RemoveSocket(Socket socket)
    {
        EnsureWorkerThread();
        _readHandlers.Remove(socket);
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
            var wait = RunDueTimers();
            _readList.Clear();
            _readList.AddRange(_readHandlers.Keys);
            try
            {
                Socket.Select(_readList, null, null, (int)Math.Max(1, wait.TotalMicroseconds));
            }
            catch (ObjectDisposedException)
            {
                continue; // a socket was closed by a command; the next round rebuilds the list
            }
            catch (SocketException)
            {
                continue;
            }
            foreach (var socket in _readList)
            {
                if (_readHandlers.TryGetValue(socket, out var handler))
                    Guarded(handler);
            }
        }
        RunCommands();
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

    private void DrainWakeups()
    {
        Interlocked.Exchange(ref _wakePending, 0);
        while (_wakeReceiver.Available > 0)
            _wakeReceiver.Receive(_wakeBuffer);
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
        _wakeSender.Dispose();
        _wakeReceiver.Dispose();
    }
}
