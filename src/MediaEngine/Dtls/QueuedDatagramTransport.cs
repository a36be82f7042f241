using Org.BouncyCastle.Tls;

namespace MediaEngine.Dtls;

/// <summary>
/// The datagram link BouncyCastle's blocking DTLS handshake runs over: <see cref="Receive(Span{byte}, int)"/>
/// blocks the handshake thread until <see cref="Deliver"/> queues a datagram, and sent datagrams go to
/// a callback. Once closed, receiving throws so the handshake unwinds, and sends are dropped.
/// </summary>
internal sealed class QueuedDatagramTransport : DatagramTransport
{
    /// <summary>Bounds the memory a flood can pin while the handshake waits for a thread; real traffic never queues this deep.</summary>
    private const int MaxQueuedDatagrams = 1024;

    private readonly Queue<byte[]> _incoming = new();
    private readonly Action<byte[]> _send;
    private readonly int _receiveLimit;
    private readonly int _sendLimit;
    private bool _closed;

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

    /// <summary>Queues a received datagram; false when the link is closed or the queue is full.</summary>
    public bool Deliver(byte[] datagram)
    {
        lock (_incoming)
        {
            if (_closed || _incoming.Count >= MaxQueuedDatagrams)
            {
                return false;
            }

            _incoming.Enqueue(datagram);
            Monitor.Pulse(_incoming);
            return true;
        }
    }

    public int GetReceiveLimit() => _receiveLimit;

    public int GetSendLimit() => _sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>
    /// Waits up to <paramref name="waitMillis"/> (zero meaning forever, as BouncyCastle's record layer
    /// asks) and returns the datagram's length, or -1 on timeout.
    /// </summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        byte[] datagram;
        lock (_incoming)
        {
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

            datagram = _incoming.Dequeue();
        }

        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!IsClosed)
        {
            _send(buffer.ToArray());
        }
    }

    /// <summary>Closes the link and returns what was delivered and not yet received, in order.</summary>
    public List<byte[]> CloseAndTakeQueued()
    {
        lock (_incoming)
        {
            var queued = new List<byte[]>(_incoming);
            CloseLocked();
            return queued;
        }
    }

    public void Close()
    {
        lock (_incoming)
        {
            CloseLocked();
        }
    }

    private void CloseLocked()
    {
        _closed = true;
        _incoming.Clear();
        Monitor.PulseAll(_incoming);
    }
}
