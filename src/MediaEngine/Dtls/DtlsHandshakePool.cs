using System.Diagnostics.CodeAnalysis;

namespace MediaEngine.Dtls;

/// <summary>
/// The threads on which BouncyCastle's blocking DTLS handshakes run, one handshake per thread at a
/// time. A handshake holds its thread while it waits for the remote end (a few round trips, up to
/// the handshake timeout for a peer that stops answering), so threads are added while handshakes
/// wait, up to a bound, and end after a while without work. Once connected, a transport's records
/// are handled by its caller (<see cref="DtlsRecordProtection"/>): the process's thread count does
/// not grow with the number of connected transports.
/// </summary>
public sealed class DtlsHandshakePool
{
    public const int DefaultMaxThreads = 32;

    private static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(5);

    private readonly Queue<Action> _handshakes = new();
    private readonly int _maxThreads;
    private readonly TimeSpan _idleTimeout;
    private int _threads;
    private int _idleThreads;

    public DtlsHandshakePool(int maxThreads = DefaultMaxThreads, TimeSpan? idleTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxThreads);
        _maxThreads = maxThreads;
        _idleTimeout = idleTimeout ?? DefaultIdleTimeout;
    }

    /// <summary>The pool every <see cref="DtlsTransport"/> uses unless given another.</summary>
    public static DtlsHandshakePool Shared { get; private set; } = new();

    /// <summary>Sets the bound of <see cref="Shared"/> (the server's configuration) for transports created afterwards.</summary>
    public static void ConfigureShared(int maxThreads)
    {
        if (Shared._maxThreads != maxThreads)
        {
            Shared = new DtlsHandshakePool(maxThreads);
        }
    }

    public int Threads
    {
        get
        {
            lock (_handshakes)
            {
                return _threads;
            }
        }
    }

    /// <summary>Queues a handshake; it must not throw.</summary>
    public void Run(Action handshake)
    {
        lock (_handshakes)
        {
            _handshakes.Enqueue(handshake);
            if (_handshakes.Count > _idleThreads && _threads < _maxThreads)
            {
                _threads++;
                new Thread(RunHandshakes) { IsBackground = true, Name = "DTLS handshake" }.Start();
            }
            else
            {
                Monitor.Pulse(_handshakes);
            }
        }
    }

    private void RunHandshakes()
    {
        while (TryTake(out Action? handshake))
        {
            handshake();
        }
    }

    private bool TryTake([NotNullWhen(true)] out Action? handshake)
    {
        lock (_handshakes)
        {
            while (!_handshakes.TryDequeue(out handshake))
            {
                _idleThreads++;
                bool woken = Monitor.Wait(_handshakes, _idleTimeout);
                _idleThreads--;
                if (!woken && _handshakes.Count == 0)
                {
                    _threads--;
                    return false;
                }
            }

            return true;
        }
    }
}
