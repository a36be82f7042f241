using System.Net;
using System.Net.Sockets;
using MediaEngine.Ice;
using MediaEngine.Net;
using MediaEngine.Srtp;
using MediaEngine.Workers;

namespace MediaEngine.Transports;

/// <summary>
/// RTP and RTCP over plain UDP (mediasoup's PlainTransport), for ffmpeg, GStreamer and other
/// non-WebRTC endpoints: one socket, or two when RTCP is not multiplexed; the remote address
/// either learnt from the first packet (comedia) or given by connect; SRTP optional, keyed by
/// srtpParameters exchanged in signaling. Worker thread only, except the public async methods.
/// </summary>
public sealed class PlainTransport : Transport
{
    private readonly UdpListener _rtpSocket;
    private readonly UdpListener? _rtcpSocket;
    private readonly string _announcedAddress;
    private readonly bool _loopbackPeersOnly;
    private UdpTuple? _tuple;
    private UdpTuple? _rtcpTuple;
    private bool _connectCalled;
    private SrtpSession? _srtpSend;
    private SrtpSession? _srtpReceive;

    private PlainTransport(Worker worker, PlainTransportOptions options, string announcedAddress,
        Func<int?, UdpListener.DatagramHandler, UdpListener> bind, Action<TransportEvent> onEvent, string? id)
        : base(worker, options.RtpLossInjection, onEvent, id)
    {
        RtcpMux = options.RtcpMux;
        Comedia = options.Comedia;
        _loopbackPeersOnly = options.LoopbackPeersOnly;
        _announcedAddress = announcedAddress;
        if (options.EnableSrtp)
            LocalSrtpParameters = options.SrtpParameters ?? SrtpParameters.Generate(options.SrtpProfile);
        try
        {
            _rtpSocket = bind(options.Port, OnRtpDatagram);
            _rtcpSocket = options.RtcpMux ? null : bind(options.RtcpPort, OnRtcpDatagram);
        }
        catch
        {
            // No port (a restored transport's is taken, or the range is full): the base's timers must not outlive this.
            Close();
            throw;
        }
    }

    /// <summary>Worker thread only: <paramref name="bind"/> opens a socket on the given port, or on a free port of the range (null).</summary>
    internal static PlainTransport Create(Worker worker, PlainTransportOptions options, string announcedAddress,
        Func<int?, UdpListener.DatagramHandler, UdpListener> bind, Action<TransportEvent> onEvent, string? id = null) =>
        new(worker, options, announcedAddress, bind, onEvent, id);

    public bool RtcpMux { get; }

    public bool Comedia { get; }

    /// <summary>The address peers send to (announced IP).</summary>
    public string Ip => _announcedAddress;

    public int Port => _rtpSocket.LocalEndPoint.Port;

    /// <summary>The RTCP port when RTCP is not multiplexed.</summary>
    public int? RtcpPort => _rtcpSocket?.LocalEndPoint.Port;

    /// <summary>Our SRTP keys (what we protect with), null without SRTP.</summary>
    public SrtpParameters? LocalSrtpParameters { get; private set; }

    public IPEndPoint? Remote => _tuple?.Remote;

    public IPEndPoint? RtcpRemote => _rtcpTuple?.Remote;

    internal override bool CanSendRtp => _tuple is not null && (LocalSrtpParameters is null || _srtpSend is not null);

    /// <summary>
    /// mediasoup's connect(): the remote address (unless comedia) and, with SRTP, the remote's
    /// keys. A remote crypto suite other than ours makes us switch to it with fresh keys, which
    /// the result carries (null without SRTP).
    /// </summary>
    public Task<SrtpParameters?> ConnectAsync(string? ip, int? port, int? rtcpPort, SrtpParameters? remoteSrtp) => Worker.InvokeAsync(() =>
    {
        ObjectDisposedException.ThrowIf(Closed, this);
        if (_connectCalled)
            throw new InvalidOperationException("connect() already called");
        if (LocalSrtpParameters is not null && remoteSrtp is null)
            throw new ArgumentException("missing srtpParameters (SRTP enabled)");
        IPEndPoint? remote = null, rtcpRemote = null;
        if (!Comedia)
        {
            if (string.IsNullOrEmpty(ip) || !IPAddress.TryParse(ip, out var address))
                throw new ArgumentException(string.IsNullOrEmpty(ip) ? "missing ip" : $"invalid ip \"{ip}\"");
            if (_loopbackPeersOnly && !IPAddress.IsLoopback(address))
                throw new ArgumentException($"ip \"{ip}\" refused: loopback-peers-only is on");
            if (port is not (> 0 and <= 65535))
                throw new ArgumentException("missing or invalid port");
            remote = new IPEndPoint(address, port.Value);
            if (!RtcpMux)
            {
                if (rtcpPort is not (> 0 and <= 65535))
                    throw new ArgumentException("missing or invalid rtcpPort");
                rtcpRemote = new IPEndPoint(address, rtcpPort.Value);
            }
        }
        if (LocalSrtpParameters is not null && remoteSrtp is not null)
        {
            if (remoteSrtp.Profile != LocalSrtpParameters.Profile)
                LocalSrtpParameters = SrtpParameters.Generate(remoteSrtp.Profile);
            _srtpSend = LocalSrtpParameters.CreateSession();
            _srtpReceive = remoteSrtp.CreateSession();
        }
        _connectCalled = true;
        if (remote is not null)
            SetTuple(new UdpTuple(_rtpSocket, remote));
        if (rtcpRemote is not null)
            SetRtcpTuple(new UdpTuple(_rtcpSocket!, rtcpRemote));
        return LocalSrtpParameters;
    });

    public Task<PlainTransportStats> GetStatsAsync() => Worker.InvokeAsync(() => new PlainTransportStats(this, _rtpSocket.LocalEndPoint,
        _tuple?.Remote, _rtcpSocket?.LocalEndPoint, _rtcpTuple?.Remote));

    public Task CloseAsync() => Worker.InvokeAsync(Close);

    protected override bool SendRtp(byte[] buffer, int length)
    {
        var sent = length;
        if (_srtpSend is not null && !_srtpSend.TryProtectRtp(buffer, length, out sent, out _))
        {
            Counters.SrtpErrors++;
            return false;
        }
        _tuple!.Send(buffer.AsSpan(0, sent));
        DataSent(sent);
        return true;
    }

    protected override void SendRtcp(byte[] buffer, int length)
    {
        var target = RtcpMux ? _tuple : _rtcpTuple;
        if (target is null)
            return;
        var sent = length;
        if (_srtpSend is not null && !_srtpSend.TryProtectRtcp(buffer, length, out sent, out _))
        {
            Counters.SrtpErrors++;
            return;
        }
        target.Send(buffer.AsSpan(0, sent));
        DataSent(sent);
    }

    protected override void OnClosed()
    {
        // Null when the constructor failed to bind.
        _rtpSocket?.Dispose();
        _rtcpSocket?.Dispose();
        _srtpSend?.Dispose();
        _srtpReceive?.Dispose();
    }

    private void OnRtpDatagram(Span<byte> datagram, SocketAddress source, UdpListener listener)
    {
        if (!Accept(datagram, source, listener, rtcpSocket: false))
            return;
        ReceiveMedia(datagram);
    }

    private void OnRtcpDatagram(Span<byte> datagram, SocketAddress source, UdpListener listener)
    {
        if (!Accept(datagram, source, listener, rtcpSocket: true))
            return;
        if (StunPacketClassifier.IsRtcp(datagram))
            ReceiveMedia(datagram);
        else
            Counters.PacketsDropped++;
    }

    /// <summary>RTP/RTCP from the known remote, or the first one that arrives with comedia; the rest is dropped.</summary>
    private bool Accept(Span<byte> datagram, SocketAddress source, UdpListener listener, bool rtcpSocket)
    {
        var known = rtcpSocket ? _rtcpTuple : _tuple;
        if (Closed)
            return false;
        DataReceived(datagram.Length);
        if (datagram.Length < 2 || StunPacketClassifier.Classify(datagram[0]) != PacketKind.RtpOrRtcp)
        {
            Counters.PacketsDropped++;
            return false;
        }
        if (known is null)
        {
            if (!Comedia)
            {
                Counters.PacketsDropped++;
                return false;
            }
            var remote = (IPEndPoint)listener.LocalEndPoint.Create(source);
            if (_loopbackPeersOnly && !IPAddress.IsLoopback(remote.Address))
            {
                Counters.PacketsDropped++;
                return false;
            }
            if (rtcpSocket)
                SetRtcpTuple(new UdpTuple(listener, remote));
            else
                SetTuple(new UdpTuple(listener, remote));
            return true;
        }
        if (!known.RemoteAddress.Equals(source))
        {
            Counters.PacketsDropped++;
            return false;
        }
        return true;
    }

    private void ReceiveMedia(Span<byte> packet)
    {
        if (LocalSrtpParameters is not null && _srtpReceive is null)
        {
            Counters.PacketsDropped++;
            return;
        }
        if (StunPacketClassifier.IsRtcp(packet))
        {
            var rtcpLength = packet.Length;
            if (_srtpReceive is not null && !_srtpReceive.TryUnprotectRtcp(packet, packet.Length, out rtcpLength, out var rtcpError))
            {
                CountSrtpReceiveError(rtcpError);
                return;
            }
            ReceiveRtcp(packet[..rtcpLength]);
            return;
        }
        var length = packet.Length;
        if (_srtpReceive is not null && !_srtpReceive.TryUnprotectRtp(packet, packet.Length, out length, out var error))
        {
            CountSrtpReceiveError(error);
            return;
        }
        ReceiveRtp(packet, length);
    }

    private void SetTuple(UdpTuple tuple)
    {
        _tuple = tuple;
        Emit(TransportEventKind.Tuple, tuple.ToString());
    }

    private void SetRtcpTuple(UdpTuple tuple)
    {
        _rtcpTuple = tuple;
        Emit(TransportEventKind.RtcpTuple, tuple.ToString());
    }
}
