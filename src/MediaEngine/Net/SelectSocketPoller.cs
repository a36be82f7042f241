using System.Net;
using System.Net.Sockets;

namespace MediaEngine.Net;

/// <summary>
/// The portable wait: Socket.Select over every registered socket and a loopback wake-up socket.
/// The read list is rebuilt each round, and above 80 sockets .NET allocates its poll array per call.
/// </summary>
internal sealed class SelectSocketPoller : SocketPoller
{
    private readonly Dictionary<Socket, Action> _handlers = new();
    private readonly List<Socket> _ready = new();
    private readonly Socket _wakeReceiver;
    private readonly Socket _wakeSender;
    private readonly byte[] _wakeBuffer = new byte[64];

    public SelectSocketPoller()
    {
        _wakeReceiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeReceiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _wakeSender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _wakeSender.Connect(_wakeReceiver.LocalEndPoint!);
        _handlers[_wakeReceiver] = DrainWakeups;
    }

    public override void Add(Socket socket, Action onReadable) => _handlers[socket] = onReadable;

    public override void Remove(Socket socket) => _handlers.Remove(socket);

    public override int Wait(TimeSpan timeout)
    {
        _ready.Clear();
        _ready.AddRange(_handlers.Keys);
        try
        {
            Socket.Select(_ready, null, null, (int)Math.Max(1, timeout.TotalMicroseconds));
        }
        catch (ObjectDisposedException)
        {
            _ready.Clear(); // a socket was closed before its removal; the next round rebuilds the list
        }
        catch (SocketException)
        {
            _ready.Clear();
        }
        return _ready.Count;
    }

    /// <summary>A socket closed from another thread (its removal posted) is reported ready by the close itself: skipped.</summary>
    public override bool TryGetReady(int index, out Action onReadable)
    {
        var socket = _ready[index];
        return _handlers.TryGetValue(socket, out onReadable!) && !socket.SafeHandle.IsClosed;
    }

    protected override void Signal()
    {
        try
        {
            _wakeSender.Send([1]);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void DrainWakeups()
    {
        ClearWakePending();
        while (_wakeReceiver.Available > 0)
            _wakeReceiver.Receive(_wakeBuffer);
    }

    public override void Dispose()
    {
        _wakeSender.Dispose();
        _wakeReceiver.Dispose();
    }
}
