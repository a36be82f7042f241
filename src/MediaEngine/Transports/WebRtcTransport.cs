using System.Net;
using MediaEngine.Dtls;
using MediaEngine.Ice;
using MediaEngine.Net;
using MediaEngine.Srtp;
using MediaEngine.Workers;

namespace MediaEngine.Transports;

/// <summary>
/// A WebRTC transport (mediasoup's WebRtcTransport): ICE-lite, then DTLS over the selected
/// tuple, then SRTP keyed by DTLS. Packets arrive from a <see cref="WebRtcServer"/> on the
/// worker thread and are demultiplexed per RFC 7983. The public async methods may be called
/// from any thread; they run on the worker.
/// </summary>
public sealed class WebRtcTransport
{
    private static readonly TimeSpan TimerPeriod = TimeSpan.FromMilliseconds(500);

    private readonly Worker _worker;
    private readonly WebRtcServer _server;
    private readonly bool _ownsServer;
    private readonly Action<TransportEvent> _onEvent;
    private readonly IceLiteServer _ice;
    private readonly DtlsTransport _dtls;
    private readonly Dictionary<IPEndPoint, TransportTuple> _tuples = new();
    private readonly byte[] _stunResponse = new byte[IceLiteServer.MaxResponseLength];
    private readonly IDisposable _timer;
    private TransportTuple? _selectedTuple;
    private DtlsRole? _remoteRole;
    private DtlsFingerprint? _remoteFingerprint;
    private SrtpSession? _srtpReceive;
    private SrtpSession? _srtpSend;
    private DtlsState _reportedDtlsState = DtlsState.New;
    private bool _closed;

    private WebRtcTransport(Worker worker, WebRtcServer server, bool ownsServer, DtlsCertificate certificate,
        WebRtcTransportOptions options, Action<TransportEvent> onEvent)
    {
        _worker = worker;
        _server = server;
        _ownsServer = ownsServer;
        _onEvent = onEvent;
        Id = Guid.NewGuid().ToString();
        IceParameters = IceParameters.Generate();
        IceCandidates = server.CandidatesFor(options.EnableUdp, options.EnableTcp);
        LocalFingerprints = certificate.Fingerprints;
        _ice = new IceLiteServer(IceParameters.UsernameFragment, IceParameters.Password, options.ConsentTimeout);
        _dtls = new DtlsTransport(certificate);
        _dtls.OutputQueued += () => _worker.Post(DrainDtls);
        _server.AddUsernameFragment(IceParameters.UsernameFragment, this);
        _timer = worker.Every(TimerPeriod, OnTimer);
    }

    /// <summary>Worker thread only: creates a transport on <paramref name="server"/>.</summary>
    internal static WebRtcTransport Create(Worker worker, WebRtcServer server, bool ownsServer, DtlsCertificate certificate,
        WebRtcTransportOptions options, Action<TransportEvent> onEvent) =>
        new(worker, server, ownsServer, certificate, options, onEvent);

    public string Id { get; }

    public IceParameters IceParameters { get; private set; }

    public IReadOnlyList<IceCandidate> IceCandidates { get; }

    public IReadOnlyList<DtlsFingerprint> LocalFingerprints { get; }

    public IceState IceState => _ice.State;

    public DtlsState DtlsState => _dtls.State;

    public TransportCounters Counters { get; } = new();

    /// <summary>Starts DTLS once ICE has a selected tuple; the remote certificate must match <paramref name="remoteFingerprint"/>.</summary>
    public Task ConnectAsync(DtlsRole remoteRole, DtlsFingerprint remoteFingerprint) => _worker.InvokeAsync(() =>
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_remoteRole is not null)
            throw new InvalidOperationException("connect() already called");
        _remoteRole = remoteRole;
        _remoteFingerprint = remoteFingerprint;
        MayRunDtls();
    });

    public Task<IceParameters> RestartIceAsync() => _worker.InvokeAsync(() =>
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var fresh = IceParameters.Generate();
        _ice.RestartIce(fresh.UsernameFragment, fresh.Password, _worker.Now);
        _server.AddUsernameFragment(fresh.UsernameFragment, this);
        IceParameters = fresh;
        DrainIceEvents();
        return fresh;
    });

    public Task<TransportStats> GetStatsAsync() => _worker.InvokeAsync(() => TransportStats.Of(this, _selectedTuple, _server.AnnouncedAddress));

    public Task CloseAsync() => _worker.InvokeAsync(Close);

    /// <summary>Worker thread: closes ICE, DTLS and the sockets this transport owns.</summary>
    internal void Close()
    {
        if (_closed)
            return;
        _closed = true;
        _timer.Dispose();
        _ice.Close();
        _dtls.Close();
        DrainDtls();
        _dtls.Dispose();
        _srtpReceive?.Dispose();
        _srtpSend?.Dispose();
        _server.RemoveTransport(this);
        if (_ownsServer)
            _server.Dispose();
        DrainIceEvents();
    }

    /// <summary>Worker thread: a packet from <paramref name="tuple"/> (STUN, DTLS, RTP or RTCP).</summary>
    internal void ReceivePacket(Span<byte> packet, TransportTuple tuple)
    {
        if (_closed || packet.Length == 0)
            return;
        Counters.BytesReceived += packet.Length;
        switch (StunPacketClassifier.Classify(packet[0]))
        {
            case PacketKind.Stun:
                ReceiveStun(packet, tuple);
                break;
            case PacketKind.Dtls when IsConnectedTuple(tuple):
                _dtls.HandleIncoming(packet);
                break;
            case PacketKind.RtpOrRtcp when IsConnectedTuple(tuple):
                ReceiveSrtp(packet);
                break;
            default:
                Counters.PacketsDropped++;
                break;
        }
    }

    internal void OnTupleClosed(TransportTuple tuple)
    {
        if (_closed)
            return;
        _ice.RemoveTuple(tuple.Remote, _worker.Now);
        DrainIceEvents();
    }

    private bool IsConnectedTuple(TransportTuple tuple) =>
        _tuples.TryGetValue(tuple.Remote, out var known) && ReferenceEquals(known, tuple);

    private void ReceiveStun(Span<byte> packet, TransportTuple tuple)
    {
        if (!_tuples.ContainsKey(tuple.Remote))
            _tuples[tuple.Remote] = tuple;
        var result = _ice.HandleBinding(packet, tuple.Remote, _worker.Now, _stunResponse);
        if (result.ResponseLength > 0)
            Send(_stunResponse.AsSpan(0, result.ResponseLength), tuple);
        if (result.Outcome != IceBindingOutcome.Accepted)
            Counters.StunRejected++;
        if (!_ice.IsValidTuple(tuple.Remote) && _tuples.TryGetValue(tuple.Remote, out var pending) && ReferenceEquals(pending, tuple))
            _tuples.Remove(tuple.Remote);
        DrainIceEvents();
    }

    private void ReceiveSrtp(Span<byte> packet)
    {
        var session = _srtpReceive;
        if (session is null)
        {
            Counters.PacketsDropped++;
            return;
        }
        if (StunPacketClassifier.IsRtcp(packet))
        {
            if (session.TryUnprotectRtcp(packet, packet.Length, out _, out _))
                Counters.RtcpPacketsReceived++;
            else
                Counters.SrtpErrors++;
            return;
        }
        if (session.TryUnprotectRtp(packet, packet.Length, out var length, out _))
        {
            Counters.RtpPacketsReceived++;
            Counters.RtpBytesReceived += length;
        }
        else
        {
            Counters.SrtpErrors++;
        }
    }

    private void DrainIceEvents()
    {
        while (_ice.TryDequeueEvent(out var iceEvent))
        {
            switch (iceEvent.Kind)
            {
                case IceServerEventKind.TupleAdded when _tuples.TryGetValue(iceEvent.Tuple!, out var added):
                    _server.AddTuple(added, this);
                    break;
                case IceServerEventKind.TupleRemoved when _tuples.Remove(iceEvent.Tuple!, out var removed):
                    if (ReferenceEquals(removed, _selectedTuple))
                        _selectedTuple = null;
                    _server.RemoveTuple(removed);
                    break;
                case IceServerEventKind.SelectedTupleChanged:
                    _selectedTuple = iceEvent.Tuple is not null && _tuples.TryGetValue(iceEvent.Tuple, out var selected) ? selected : null;
                    if (_selectedTuple is not null)
                        Emit(TransportEventKind.IceSelectedTupleChange, _selectedTuple.ToString());
                    MayRunDtls();
                    break;
                case IceServerEventKind.StateChanged:
                    Emit(TransportEventKind.IceStateChange, iceEvent.State.ToMediasoupName());
                    MayRunDtls();
                    break;
            }
        }
    }

    private void MayRunDtls()
    {
        if (_closed || _remoteRole is null || _dtls.State != DtlsState.New)
            return;
        if (_ice.State is not (IceState.Connected or IceState.Completed) || _selectedTuple is null)
            return;
        _dtls.Start(DtlsRoles.LocalRoleFor(_remoteRole.Value), _remoteFingerprint!);
        DrainDtls();
    }

    /// <summary>Worker thread: sends what DTLS queued, reports its state, keys SRTP once connected.</summary>
    private void DrainDtls()
    {
        while (_dtls.TryDequeueOutgoing(out var datagram))
        {
            if (_selectedTuple is not null)
                Send(datagram, _selectedTuple);
        }
        while (_dtls.TryDequeueStateChange(out var state))
        {
            if (state == DtlsState.Connected && _srtpReceive is null && _dtls.SrtpKeys is { } keys)
            {
                var profile = ProfileOf(keys.CryptoSuite);
                _srtpReceive = new SrtpSession(profile, keys.RemoteMasterKey.Span, keys.RemoteMasterSalt.Span);
                _srtpSend = new SrtpSession(profile, keys.LocalMasterKey.Span, keys.LocalMasterSalt.Span);
            }
            if (state != _reportedDtlsState)
            {
                _reportedDtlsState = state;
                Emit(TransportEventKind.DtlsStateChange, state.ToMediasoupName(), state == DtlsState.Failed ? _dtls.FailureReason : null);
            }
        }
        while (_dtls.TryDequeueApplicationData(out _))
            Counters.DataChannelBytesDropped++;
    }

    private static SrtpProfile ProfileOf(SrtpCryptoSuite suite) => suite switch
    {
        SrtpCryptoSuite.AeadAes256Gcm => SrtpProfile.AeadAes256Gcm,
        SrtpCryptoSuite.AeadAes128Gcm => SrtpProfile.AeadAes128Gcm,
        SrtpCryptoSuite.AesCm128HmacSha1_80 => SrtpProfile.AesCm128HmacSha1_80,
        SrtpCryptoSuite.AesCm128HmacSha1_32 => SrtpProfile.AesCm128HmacSha1_32,
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "unsupported SRTP crypto suite"),
    };

    private void OnTimer()
    {
        _ice.HandleTimeout(_worker.Now);
        DrainIceEvents();
    }

    private void Send(ReadOnlySpan<byte> packet, TransportTuple tuple)
    {
        tuple.Send(packet);
        Counters.BytesSent += packet.Length;
    }

    private void Emit(TransportEventKind kind, string value, string? detail = null) =>
        _onEvent(new TransportEvent(Id, kind, value, detail));
}
