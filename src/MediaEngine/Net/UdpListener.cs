using System.Net;
using System.Net.Sockets;
using MediaEngine.Workers;

namespace MediaEngine.Net;

/// <summary>A UDP socket on a worker: reads every datagram into one reused buffer.</summary>
public sealed class UdpListener : IDisposable
{
    public const int MaxDatagramSize = 65_536;

    /// <summary>Called on the worker thread with the datagram and its source (a reused object: copy to keep it).</summary>
    public delegate void DatagramHandler(Span<byte> datagram, SocketAddress source, UdpListener listener);

    private readonly Worker _worker;
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[MaxDatagramSize];
    private readonly SocketAddress _source;
    private readonly DatagramHandler _handler;

    public UdpListener(Worker worker, IPEndPoint bindTo, DatagramHandler handler)
    {
        _worker = worker;
        _handler = handler;
        _socket = new Socket(bindTo.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 1 << 20;
        _socket.SendBufferSize = 1 << 20;
        _socket.Bind(bindTo);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _source = new SocketAddress(bindTo.AddressFamily);
        _worker.AddSocket(_socket, OnReadable);
    }

    public IPEndPoint LocalEndPoint { get; }

    public long DatagramsReceived { get; private set; }

    public long BytesReceived { get; private set; }

    public long SendErrors { get; private set; }

    public void SendTo(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, destination);
        }
        catch (SocketException)
        {
            SendErrors++;
        }
    }

    private void OnReadable()
    {
        while (_socket.Available > 0)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(_buffer, SocketFlags.None, _source);
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier send surfaces here on Linux.
                break;
            }
            DatagramsReceived++;
            BytesReceived += length;
            _handler(_buffer.AsSpan(0, length), _source, this);
        }
    }

    public void Dispose()
    {
        if (_worker.IsWorkerThread)
            _worker.RemoveSocket(_socket);
        _socket.Dispose();
    }
}

/// <summary>A remote address seen on a <see cref="UdpListener"/>.</summary>
public sealed class UdpTuple : TransportTuple
{
    private readonly UdpListener _listener;

    public UdpTuple(UdpListener listener, IPEndPoint remote) : base(listener.LocalEndPoint, remote)
    {
        _listener = listener;
    }

    public override string Protocol => "udp";

    public override bool IsClosed => false;

    public override void Send(ReadOnlySpan<byte> packet) => _listener.SendTo(packet, RemoteAddress);
}
