using System.Net;
using System.Net.Sockets;
using MediaEngine.Workers;

namespace MediaEngine.Net;

/// <summary>
/// A UDP socket on a worker. On Linux datagrams are read in batches (recvmmsg), and what the handler
/// of a received datagram sends (a producer's packet to all its consumers) leaves in one sendmmsg;
/// elsewhere every datagram is read into one reused buffer and sent by its own call.
/// </summary>
public sealed class UdpListener : IDisposable
{
    public const int MaxDatagramSize = 65_536;

    /// <summary>Called on the worker thread with the datagram and its source (a reused object: copy to keep it).</summary>
    public delegate void DatagramHandler(Span<byte> datagram, SocketAddress source, UdpListener listener);

    private readonly Worker _worker;
    private readonly Socket _socket;
    private readonly byte[]? _buffer;
    private readonly SocketAddress _source;
    private readonly DatagramHandler _handler;
    private readonly DatagramBatch? _batch;
    private bool _handling;

    /// <summary>Receive batches per readiness, so a flood cannot keep timers and commands waiting.</summary>
    private const int MaxBatchesPerWakeup = 8;

    private const int MaxDatagramsPerWakeup = MaxBatchesPerWakeup * DatagramBatch.Capacity;

    public UdpListener(Worker worker, IPEndPoint bindTo, DatagramHandler handler)
    {
        _worker = worker;
        _handler = handler;
        _socket = new Socket(bindTo.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 1 << 20;
        _socket.SendBufferSize = 1 << 20;
        try
        {
            _socket.Bind(bindTo);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _source = new SocketAddress(bindTo.AddressFamily);
        if (DatagramBatch.IsSupported)
            _batch = new DatagramBatch(_socket.SafeHandle);
        else
            _buffer = new byte[MaxDatagramSize];
        _worker.AddSocket(_socket, OnReadable);
    }

    public IPEndPoint LocalEndPoint { get; }

    public long DatagramsReceived { get; private set; }

    public long BytesReceived { get; private set; }

    public long SendErrors { get; private set; }

    /// <summary>Datagrams longer than <see cref="DatagramBatch.SlotLength"/>: dropped.</summary>
    public long DatagramsTooLong { get; private set; }

    /// <summary>Sends at once, or, while a received datagram is being handled, when that handling ends.</summary>
    public void SendTo(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        if (_handling && _batch is not null)
        {
            if (_batch.TryQueue(datagram, destination))
                return;
            Flush();
            if (_batch.TryQueue(datagram, destination))
                return;
        }
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, destination);
        }
        catch (SocketException)
        {
            SendErrors++;
        }
    }

    private void Flush() => SendErrors += _batch!.Flush();

    private void OnReadable()
    {
        if (_batch is not null)
        {
            ReceiveBatches(_batch);
            return;
        }
        for (var read = 0; read < MaxDatagramsPerWakeup && _socket.Available > 0; read++)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(_buffer!, SocketFlags.None, _source);
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier send surfaces here on Linux.
                break;
            }
            DatagramsReceived++;
            BytesReceived += length;
            _handler(_buffer!.AsSpan(0, length), _source, this);
        }
    }

    private void ReceiveBatches(DatagramBatch batch)
    {
        for (var round = 0; round < MaxBatchesPerWakeup; round++)
        {
            var count = batch.Receive();
            for (var i = 0; i < count; i++)
            {
                if (!batch.TryGetReceived(i, out var datagram, _source))
                {
                    DatagramsTooLong++;
                    continue;
                }
                DatagramsReceived++;
                BytesReceived += datagram.Length;
                _handling = true;
                try
                {
                    _handler(datagram, _source, this);
                }
                catch (Exception e)
                {
                    _worker.ReportHandlerError(e); // one bad datagram must not cost the rest of the batch
                }
                finally
                {
                    _handling = false;
                    if (batch.Queued > 0)
                        Flush();
                }
            }
            if (count < DatagramBatch.Capacity)
                return;
        }
    }

    public void Dispose()
    {
        if (_worker.IsWorkerThread)
        {
            _worker.RemoveSocket(_socket); // before closing: the wait must not watch a descriptor number that may be reused
            _socket.Dispose();
            _batch?.Dispose();
            return;
        }
        _socket.Dispose();
        _worker.Post(() =>
        {
            _worker.RemoveSocket(_socket);
            _batch?.Dispose(); // its buffers may be in use on the worker right now
        });
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
