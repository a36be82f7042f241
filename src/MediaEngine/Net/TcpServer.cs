using System.Net;
using System.Net.Sockets;
using MediaEngine.Workers;

namespace MediaEngine.Net;

/// <summary>
/// A passive TCP listener on a worker (ICE-TCP passive candidates), RFC 4571 framed. A connection
/// that ICE has not taken (<see cref="TcpConnection.Claimed"/>) within the ICE timeout is closed, so
/// connections that never finish ICE cannot pile up.
/// </summary>
public sealed class TcpServer : IDisposable
{
    public const int MaxConnections = 1024;
    public static readonly TimeSpan DefaultIceTimeout = TimeSpan.FromSeconds(10);

    public delegate void PacketHandler(Span<byte> packet, TcpConnection connection);

    private readonly Worker _worker;
    private readonly Socket _listener;
    private readonly PacketHandler _handler;
    private readonly HashSet<TcpConnection> _connections = new();
    private readonly TimeSpan _iceTimeout;
    private readonly IDisposable _sweep;
    private long _sendsDroppedByClosed;

    public TcpServer(Worker worker, IPEndPoint bindTo, PacketHandler handler, TimeSpan? iceTimeout = null)
    {
        _worker = worker;
        _handler = handler;
        _iceTimeout = iceTimeout ?? DefaultIceTimeout;
        _listener = new Socket(bindTo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(bindTo);
        _listener.Listen(128);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _worker.AddSocket(_listener, Accept);
        _sweep = _worker.Every(TimeSpan.FromSeconds(Math.Min(1, _iceTimeout.TotalSeconds / 2)), CloseUnclaimed);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Called on the worker thread when a connection ends.</summary>
    public event Action<TcpConnection>? ConnectionClosed;

    /// <summary>Connections closed because ICE had not taken them within the timeout.</summary>
    public long ConnectionsTimedOut { get; private set; }

    /// <summary>Packets not sent because a connection's socket buffer was full (the peer does not read): dropped, never waited for.</summary>
    public long SendsDropped => _sendsDroppedByClosed + _connections.Sum(c => c.SendsDropped);

    private void CloseUnclaimed()
    {
        var deadline = _worker.Now - _iceTimeout;
        foreach (var connection in _connections.Where(c => !c.Claimed && c.OpenedAt <= deadline).ToList())
        {
            ConnectionsTimedOut++;
            connection.Close();
        }
    }

    private void Accept()
    {
        var socket = _listener.Accept();
        if (_connections.Count >= MaxConnections)
        {
            socket.Dispose();
            return;
        }
        socket.NoDelay = true;
        socket.Blocking = false;
        var connection = new TcpConnection(socket, LocalEndPoint, this, _worker.Now);
        _connections.Add(connection);
        _worker.AddSocket(socket, connection.OnReadable);
    }

    internal void Deliver(Span<byte> packet, TcpConnection connection) => _handler(packet, connection);

    internal void Remove(TcpConnection connection)
    {
        if (!_connections.Remove(connection))
            return;
        _sendsDroppedByClosed += connection.SendsDropped;
        _worker.RemoveSocket(connection.Socket);
        ConnectionClosed?.Invoke(connection);
    }

    public void Dispose()
    {
        _sweep.Dispose();
        if (_worker.IsWorkerThread)
        {
            foreach (var connection in _connections.ToList())
                connection.Close();
            _worker.RemoveSocket(_listener);
        }
        _listener.Dispose();
    }
}

/// <summary>
/// One accepted ICE-TCP connection: a tuple of its own. Its socket never blocks the worker: a packet
/// the socket buffer cannot take is dropped and counted; the rest of a frame the buffer took in part
/// waits, and goes before the next packet, so the RFC 4571 stream stays whole.
/// </summary>
public sealed class TcpConnection : TransportTuple
{
    private readonly TcpServer _server;
    private readonly Rfc4571Framer _framer = new();
    private readonly byte[] _receiveBuffer = new byte[64 * 1024];
    private readonly byte[] _sendBuffer = new byte[2 + Rfc4571Framer.MaxPacketSize];
    private readonly Rfc4571Framer.PacketHandler _deliver;
    private int _unsentOffset;
    private int _unsentLength;
    private bool _closed;

    internal TcpConnection(Socket socket, IPEndPoint local, TcpServer server, TimeSpan openedAt) : base(local, (IPEndPoint)socket.RemoteEndPoint!)
    {
        Socket = socket;
        _server = server;
        OpenedAt = openedAt;
        _deliver = packet => _server.Deliver(packet, this);
    }

    internal Socket Socket { get; }

    /// <summary>When it was accepted (worker time).</summary>
    internal TimeSpan OpenedAt { get; }

    /// <summary>ICE took it as a tuple of a transport: it is no longer closed for not finishing ICE.</summary>
    public bool Claimed { get; internal set; }

    /// <summary>Packets dropped because the socket buffer was full.</summary>
    public long SendsDropped { get; private set; }

    public override string Protocol => "tcp";

    public override bool IsClosed => _closed;

    public override void Send(ReadOnlySpan<byte> packet)
    {
        if (_closed)
            return;
        if (_unsentLength > 0)
        {
            var flushed = TrySend(_sendBuffer.AsSpan(_unsentOffset, _unsentLength));
            if (flushed < 0)
                return;
            _unsentOffset += flushed;
            _unsentLength -= flushed;
            if (_unsentLength > 0)
            {
                SendsDropped++;
                return;
            }
        }
        var length = Rfc4571Framer.Frame(packet, _sendBuffer);
        var sent = TrySend(_sendBuffer.AsSpan(0, length));
        if (sent == 0)
            SendsDropped++;
        else if (sent > 0 && sent < length)
        {
            _unsentOffset = sent;
            _unsentLength = length - sent;
        }
    }

    /// <summary>Bytes the socket took (0 when its buffer is full), or -1 when the connection failed (then closed).</summary>
    private int TrySend(ReadOnlySpan<byte> bytes)
    {
        var sent = Socket.Send(bytes, SocketFlags.None, out var error);
        if (error == SocketError.Success)
            return sent;
        if (error == SocketError.WouldBlock)
            return 0;
        Close();
        return -1;
    }

    internal void OnReadable()
    {
        var received = Socket.Receive(_receiveBuffer, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
            return;
        if (error != SocketError.Success || received == 0)
        {
            Close();
            return;
        }
        _framer.Feed(_receiveBuffer.AsSpan(0, received), _deliver);
    }

    public void Close()
    {
        if (_closed)
            return;
        _closed = true;
        _server.Remove(this);
        Socket.Dispose();
    }
}
