using System.Net;
using System.Net.Sockets;
using MediaEngine.Workers;

namespace MediaEngine.Net;

/// <summary>A passive TCP listener on a worker (ICE-TCP passive candidates), RFC 4571 framed.</summary>
public sealed class TcpServer : IDisposable
{
    public const int MaxConnections = 1024;

    public delegate void PacketHandler(Span<byte> packet, TcpConnection connection);

    private readonly Worker _worker;
    private readonly Socket _listener;
    private readonly PacketHandler _handler;
    private readonly HashSet<TcpConnection> _connections = new();

    public TcpServer(Worker worker, IPEndPoint bindTo, PacketHandler handler)
    {
        _worker = worker;
        _handler = handler;
        _listener = new Socket(bindTo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(bindTo);
        _listener.Listen(128);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _worker.AddSocket(_listener, Accept);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Called on the worker thread when a connection ends.</summary>
    public event Action<TcpConnection>? ConnectionClosed;

    private void Accept()
    {
        var socket = _listener.Accept();
        if (_connections.Count >= MaxConnections)
        {
            socket.Dispose();
            return;
        }
        socket.NoDelay = true;
        var connection = new TcpConnection(socket, LocalEndPoint, this);
        _connections.Add(connection);
        _worker.AddSocket(socket, connection.OnReadable);
    }

    internal void Deliver(Span<byte> packet, TcpConnection connection) => _handler(packet, connection);

    internal void Remove(TcpConnection connection)
    {
        if (!_connections.Remove(connection))
            return;
        _worker.RemoveSocket(connection.Socket);
        ConnectionClosed?.Invoke(connection);
    }

    public void Dispose()
    {
        if (_worker.IsWorkerThread)
        {
            foreach (var connection in _connections.ToList())
                connection.Close();
            _worker.RemoveSocket(_listener);
        }
        _listener.Dispose();
    }
}

/// <summary>One accepted ICE-TCP connection: a tuple of its own.</summary>
public sealed class TcpConnection : TransportTuple
{
    private readonly TcpServer _server;
    private readonly Rfc4571Framer _framer = new();
    private readonly byte[] _receiveBuffer = new byte[64 * 1024];
    private readonly byte[] _sendBuffer = new byte[2 + Rfc4571Framer.MaxPacketSize];
    private readonly Rfc4571Framer.PacketHandler _deliver;
    private bool _closed;

    internal TcpConnection(Socket socket, IPEndPoint local, TcpServer server) : base(local, (IPEndPoint)socket.RemoteEndPoint!)
    {
        Socket = socket;
        _server = server;
        _deliver = packet => _server.Deliver(packet, this);
        Socket.SendTimeout = 1000;
    }

    internal Socket Socket { get; }

    public override string Protocol => "tcp";

    public override bool IsClosed => _closed;

    public override void Send(ReadOnlySpan<byte> packet)
    {
        if (_closed)
            return;
        var length = Rfc4571Framer.Frame(packet, _sendBuffer);
        try
        {
            Socket.Send(_sendBuffer.AsSpan(0, length));
        }
        catch (SocketException)
        {
            Close();
        }
    }

    internal void OnReadable()
    {
        int received;
        try
        {
            received = Socket.Receive(_receiveBuffer);
        }
        catch (SocketException)
        {
            Close();
            return;
        }
        if (received == 0)
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
