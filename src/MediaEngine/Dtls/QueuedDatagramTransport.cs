using Org.BouncyCastle.Tls;

namespace MediaEngine.Dtls;

/// <summary>
/// The datagram link BouncyCastle's DTLS protocol runs over; sent datagrams go to a callback.
/// During the handshake <see cref="Receive(Span{byte}, int)"/> blocks the handshake thread until
/// <see cref="Deliver"/> queues a datagram, and closing the link makes it throw so that thread
/// unwinds. Once connected (<see cref="StopBlocking"/>) the caller decrypts on its own thread: it
/// hands a datagram over with <see cref="DeliverNow"/> and asks BouncyCastle to receive, and
/// Receive never waits: with nothing queued it throws <see cref="NothingQueuedException"/>.
/// </summary>
internal sealed class QueuedDatagramTransport : DatagramTransport
{
    /// <summary>Bounds the memory a flood can pin while the handshake thread is busy; real traffic never queues this deep.</summary>
    private const int MaxQueuedDatagrams = 1024;

    private readonly Queue<byte[]> _incoming = new();
    private readonly Action<byte[]> _send;
    private readonly int _receiveLimit;
    private readonly int _sendLimit;
    private readonly NothingQueuedException _nothingQueued = new();
    private byte[] _current = [];
    private int _currentLength = -1;
    private int _longestDelivered;
    private bool _closed;
    private bool _nonBlocking;

    public QueuedDatagramTransport(int receiveLimit, int sendLimit, Action<byte[]> send)
    {
        _receiveLimit = receiveLimit;
        _sendLimit = sendLimit;
        _send = send;
    }

    public bool IsClosed
    {
        get
        {
            lock (_incoming)
            {
                return _closed;
            }
        }
    }

    /// <summary>Something waits to be received.</summary>
    public bool HasQueued
    {
        get
        {
            lock (_incoming)
            {
                return _incoming.Count > 0 || _currentLength >= 0;
            }
        }
    }

    /// <summary>Queues a received datagram for the handshake thread; false when the link is closed or the queue is full.</summary>
    public bool Deliver(byte[] datagram)
    {
        lock (_incoming)
        {
            if (_closed || _incoming.Count >= MaxQueuedDatagrams)
            {
                return false;
            }

            _incoming.Enqueue(datagram);
            _longestDelivered = Math.Max(_longestDelivered, datagram.Length);
            Monitor.Pulse(_incoming);
            return true;
        }
    }

    /// <summary>
    /// Once connected: queues a datagram the caller receives at once, copied into a buffer kept for
    /// that (one datagram at a time) instead of a new array. False when the link is closed.
    /// </summary>
    public bool DeliverNow(ReadOnlySpan<byte> datagram)
    {
        lock (_incoming)
        {
            if (_closed)
            {
                return false;
            }

            if (!_nonBlocking || _currentLength >= 0)
            {
                throw new InvalidOperationException("Only one datagram at a time is received at once, after the handshake.");
            }

            if (_current.Length < datagram.Length)
            {
                _current = new byte[_receiveLimit];
            }

            datagram.CopyTo(_current);
            _currentLength = datagram.Length;
            _longestDelivered = Math.Max(_longestDelivered, datagram.Length);
            return true;
        }
    }

    /// <summary>Called when the handshake is over: from now on Receive never waits.</summary>
    public void StopBlocking()
    {
        lock (_incoming)
        {
            _nonBlocking = true;
        }
    }

    /// <summary>
    /// During the handshake the largest datagram accepted. Once connected the longest datagram
    /// delivered so far, which bounds whatever BouncyCastle still holds or is given next: it allocates
    /// a buffer of this size for each receive, and real datagrams are far below the maximum.
    /// </summary>
    public int GetReceiveLimit()
    {
        lock (_incoming)
        {
            return _nonBlocking ? _longestDelivered : _receiveLimit;
        }
    }

    public int GetSendLimit() => _sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>
    /// During the handshake waits up to <paramref name="waitMillis"/> (zero meaning forever, as
    /// BouncyCastle's record layer asks) and returns the datagram's length, or -1 on timeout.
    /// </summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        lock (_incoming)
        {
            if (_nonBlocking)
            {
                return ReceiveWithoutWaiting(buffer);
            }

            long deadline = Environment.TickCount64 + waitMillis;
            while (_incoming.Count == 0 && !_closed)
            {
                if (waitMillis == 0)
                {
                    Monitor.Wait(_incoming);
                    continue;
                }

                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return -1;
                }

                Monitor.Wait(_incoming, (int)remaining);
            }

            if (_closed)
            {
                throw new IOException("The DTLS datagram link is closed.");
            }

            byte[] datagram = _incoming.Dequeue();
            datagram.CopyTo(buffer);
            return datagram.Length;
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!IsClosed)
        {
            _send(buffer.ToArray());
        }
    }

    public void Close()
    {
        lock (_incoming)
        {
            _closed = true;
            _incoming.Clear();
            _currentLength = -1;
            Monitor.PulseAll(_incoming);
        }
    }

    /// <summary>Datagrams that came while the handshake was ending go first, then the one delivered now.</summary>
    private int ReceiveWithoutWaiting(Span<byte> buffer)
    {
        if (_closed)
        {
            throw _nothingQueued;
        }

        if (_incoming.TryDequeue(out byte[]? queued))
        {
            queued.CopyTo(buffer);
            return queued.Length;
        }

        if (_currentLength < 0)
        {
            throw _nothingQueued;
        }

        _current.AsSpan(0, _currentLength).CopyTo(buffer);
        int length = _currentLength;
        _currentLength = -1;
        return length;
    }
}
