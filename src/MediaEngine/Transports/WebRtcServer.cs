using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaEngine.Ice;
using MediaEngine.Net;
using MediaEngine.Workers;

namespace MediaEngine.Transports;

/// <summary>
/// A UDP socket and a TCP listener shared by many WebRtcTransports (mediasoup's WebRtcServer).
/// Packets are demultiplexed by the ICE username fragment of STUN requests, then, once ICE
/// accepted a tuple, by the remote address. Also serves a single transport on its own ports
/// when the shared server is off. Worker thread only.
/// </summary>
public sealed class WebRtcServer : IDisposable
{
    private readonly Worker _worker;
    private readonly UdpListener? _udp;
    private readonly TcpServer? _tcp;
    private readonly Dictionary<string, WebRtcTransport> _byUsernameFragment = new();
    private readonly Dictionary<string, WebRtcTransport>.AlternateLookup<ReadOnlySpan<char>> _byUsernameFragmentSpan;
    private readonly Dictionary<SocketAddress, UdpTuple> _udpTuples = new();
    private readonly Dictionary<TransportTuple, WebRtcTransport> _owners = new(ReferenceEqualityComparer.Instance);

    private readonly bool _loopbackPeersOnly;

    public WebRtcServer(Worker worker, IPAddress listenIp, int udpPort, int tcpPort, string announcedAddress,
        bool enableUdp = true, bool enableTcp = true, bool loopbackPeersOnly = false)
    {
        _worker = worker;
        _loopbackPeersOnly = loopbackPeersOnly;
        _byUsernameFragmentSpan = _byUsernameFragment.GetAlternateLookup<ReadOnlySpan<char>>();
        AnnouncedAddress = announcedAddress;
        try
        {
            if (enableUdp)
                _udp = new UdpListener(worker, new IPEndPoint(listenIp, udpPort), OnDatagram);
            if (enableTcp)
            {
                _tcp = new TcpServer(worker, new IPEndPoint(listenIp, tcpPort), OnTcpPacket);
                _tcp.ConnectionClosed += OnTcpConnectionClosed;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string AnnouncedAddress { get; }

    public int? UdpPort => _udp?.LocalEndPoint.Port;

    public int? TcpPort => _tcp?.LocalEndPoint.Port;

    /// <summary>Packets from addresses no transport knows (not STUN, or STUN for an unknown ufrag): dropped.</summary>
    public long UnknownPacketsDropped { get; private set; }

    /// <summary>ICE-TCP connections closed because ICE had not taken them in time.</summary>
    public long TcpConnectionsTimedOut => _tcp?.ConnectionsTimedOut ?? 0;

    /// <summary>Packets to ICE-TCP peers dropped because their socket buffer was full.</summary>
    public long TcpSendsDropped => _tcp?.SendsDropped ?? 0;

    /// <summary>UDP datagrams too long for the receive buffer: dropped by the socket layer.</summary>
    public long DatagramsTooLong => _udp?.DatagramsTooLong ?? 0;

    public IReadOnlyList<IceCandidate> CandidatesFor(bool udp, bool tcp)
    {
        var candidates = new List<IceCandidate>();
        if (udp && _udp is not null)
            candidates.Add(IceCandidate.Udp(AnnouncedAddress, _udp.LocalEndPoint.Port));
        if (tcp && _tcp is not null)
            candidates.Add(IceCandidate.Tcp(AnnouncedAddress, _tcp.LocalEndPoint.Port));
        return candidates;
    }

    internal void AddUsernameFragment(string usernameFragment, WebRtcTransport transport) => _byUsernameFragment[usernameFragment] = transport;

    internal void RemoveUsernameFragment(string usernameFragment) => _byUsernameFragment.Remove(usernameFragment);

    internal void AddTuple(TransportTuple tuple, WebRtcTransport transport)
    {
        _owners[tuple] = transport;
        if (tuple is UdpTuple udp)
            _udpTuples[udp.RemoteAddress] = udp;
        else if (tuple is TcpConnection tcp)
            tcp.Claimed = true;
    }

    internal void RemoveTuple(TransportTuple tuple)
    {
        _owners.Remove(tuple);
        if (tuple is UdpTuple udp)
            _udpTuples.Remove(udp.RemoteAddress);
        else if (tuple is TcpConnection tcp)
            tcp.Close();
    }

    internal void RemoveTransport(WebRtcTransport transport)
    {
        foreach (var (tuple, owner) in _owners.ToList())
        {
            if (owner == transport)
                RemoveTuple(tuple);
        }
        foreach (var (usernameFragment, owner) in _byUsernameFragment.ToList())
        {
            if (owner == transport)
                _byUsernameFragment.Remove(usernameFragment);
        }
    }

    private void OnDatagram(Span<byte> datagram, SocketAddress source, UdpListener listener)
    {
        if (_udpTuples.TryGetValue(source, out var known))
        {
            _owners[known].ReceivePacket(datagram, known);
            return;
        }
        var transport = TransportForStun(datagram);
        if (transport is null)
        {
            UnknownPacketsDropped++;
            return;
        }
        var remote = (IPEndPoint)listener.LocalEndPoint.Create(source);
        if (_loopbackPeersOnly && !IPAddress.IsLoopback(remote.Address))
        {
            UnknownPacketsDropped++;
            return;
        }
        transport.ReceivePacket(datagram, new UdpTuple(listener, remote));
    }

    private void OnTcpPacket(Span<byte> packet, TcpConnection connection)
    {
        if (_owners.TryGetValue(connection, out var owner))
        {
            owner.ReceivePacket(packet, connection);
            return;
        }
        var transport = TransportForStun(packet);
        if (transport is null || (_loopbackPeersOnly && !IPAddress.IsLoopback(connection.Remote.Address)))
        {
            UnknownPacketsDropped++;
            return;
        }
        transport.ReceivePacket(packet, connection);
    }

    private void OnTcpConnectionClosed(TcpConnection connection)
    {
        if (_owners.Remove(connection, out var owner))
            owner.OnTupleClosed(connection);
    }

    /// <summary>The transport whose local ufrag starts the STUN USERNAME ("local:remote").</summary>
    private WebRtcTransport? TransportForStun(ReadOnlySpan<byte> packet)
    {
        if (!StunPacketClassifier.IsStun(packet) || !StunMessageReader.TryParse(packet, out var message) || !message.TryGetUsername(out var username))
            return null;
        var colon = username.IndexOf((byte)':');
        var local = colon < 0 ? username : username[..colon];
        if (local.Length > 256)
            return null;
        Span<char> chars = stackalloc char[local.Length];
        var count = Encoding.UTF8.GetChars(local, chars);
        return _byUsernameFragmentSpan.TryGetValue(chars[..count], out var transport) ? transport : null;
    }

    public void Dispose()
    {
        foreach (var transport in _owners.Values.Concat(_byUsernameFragment.Values).Distinct().ToList())
            transport.Close();
        _udp?.Dispose();
        _tcp?.Dispose();
    }
}
