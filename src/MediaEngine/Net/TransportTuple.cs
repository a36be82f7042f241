using System.Net;
using System.Net.Sockets;

namespace MediaEngine.Net;

/// <summary>
/// One path between a local socket and a remote address (mediasoup's TransportTuple): where a
/// packet came from, and how to answer it.
/// </summary>
public abstract class TransportTuple
{
    protected TransportTuple(IPEndPoint local, IPEndPoint remote)
    {
        Local = local;
        Remote = remote;
        RemoteAddress = remote.Serialize();
    }

    public IPEndPoint Local { get; }

    public IPEndPoint Remote { get; }

    /// <summary>The remote address as the socket layer reports it: the key for demultiplexing.</summary>
    public SocketAddress RemoteAddress { get; }

    public abstract string Protocol { get; }

    public abstract bool IsClosed { get; }

    public abstract void Send(ReadOnlySpan<byte> packet);

    /// <summary>The shape of mediasoup's iceSelectedTuple / tuple stats.</summary>
    public object ToStats(string? announcedAddress) => new
    {
        localIp = announcedAddress ?? Local.Address.ToString(),
        localAddress = announcedAddress ?? Local.Address.ToString(),
        localPort = Local.Port,
        remoteIp = Remote.Address.ToString(),
        remotePort = Remote.Port,
        protocol = Protocol,
    };

    public override string ToString() => $"{Protocol} {Remote} → {Local}";
}
