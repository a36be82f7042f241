using System.Net;
using MediaEngine.Consumers;
using MediaEngine.DataChannels;
using MediaEngine.Sctp;
using MediaEngine.Dtls;
using MediaEngine.Producers;
using MediaEngine.Rtcp;
using MediaEngine.Rtp.Packets;
using MediaEngine.RtpStreams;
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
public sealed class WebRtcTransport : Transport
{
    private static readonly TimeSpan TimerPeriod = TimeSpan.FromMilliseconds(500);
    private readonly WebRtcServer _server;
    private readonly bool _ownsServer;
    private readonly IceLiteServer _ice;
    private readonly DtlsTransport _dtls;
    private readonly Dictionary<IPEndPoint, TransportTuple> _tuples = new();
    private readonly byte[] _stunResponse = new byte[IceLiteServer.MaxResponseLength];
    private readonly IDisposable _timer;
    private readonly List<byte[]> _earlyDtls = new();
    private const int MaxEarlyDtlsDatagrams = 8;
    private readonly IDisposable? _sctpTimer;
    private TransportTuple? _selectedTuple;
    private DtlsRole? _remoteRole;
    private DtlsFingerprint? _remoteFingerprint;
    private SrtpSession? _srtpReceive;
    private SrtpSession? _srtpSend;
    private DtlsState _reportedDtlsState = DtlsState.New;
    private static readonly TimeSpan ShapingPeriod = TimeSpan.FromMilliseconds(2);
    private ShapedLink? _uplink;
    private ShapedLink? _downlink;
    private IDisposable? _shapingTimer;
    private readonly Action<Span<byte>, TransportTuple> _receiveShaped;
    private readonly Action<Span<byte>, TransportTuple> _sendShaped;
    private bool _dtlsOutputPending;

    private readonly SctpAssociation? _sctp;
    private readonly double _sctpLossInjection;
    private readonly byte[] _sctpBuffer;
    private readonly Dictionary<ushort, DataProducer> _dataProducersByStream = new();
    private static readonly TimeSpan SctpTimerPeriod = TimeSpan.FromMilliseconds(50);

    private WebRtcTransport(Worker worker, WebRtcServer server, bool ownsServer, DtlsCertificate certificate,
        WebRtcTransportOptions options, Action<TransportEvent> onEvent)
        : base(worker, options.RtpLossInjection, onEvent, initialAvailableOutgoingBitrate: options.InitialAvailableOutgoingBitrate)
    {
        MaxIncomingBitrate = options.MaxIncomingBitrate;
        _receiveShaped = ReceiveNow;
        _sendShaped = SendNow;
        _server = server;
        _ownsServer = ownsServer;
        IceParameters = IceParameters.Generate();
        IceCandidates = server.CandidatesFor(options.EnableUdp, options.EnableTcp);
        LocalFingerprints = certificate.Fingerprints;
        _ice = new IceLiteServer(IceParameters.UsernameFragment, IceParameters.Password, options.ConsentTimeout);
        _dtls = new DtlsTransport(certificate);
        _dtls.OutputQueued += OnDtlsOutputQueued;
        _server.AddUsernameFragment(IceParameters.UsernameFragment, this);
        _timer = worker.Every(TimerPeriod, OnTimer);
        _sctpLossInjection = options.SctpLossInjection;
        if (options.SctpStreams is { } streams)
        {
            SctpOptions = new SctpAssociationOptions
            {
                OutboundStreams = (ushort)streams.OutboundStreams,
                MaxInboundStreams = (ushort)streams.MaxInboundStreams,
            };
            _sctp = new SctpAssociation(SctpOptions);
            _sctpBuffer = new byte[SctpOptions.MaxPacketSize];
            _sctpTimer = worker.Every(SctpTimerPeriod, OnSctpTimer);
        }
        else
        {
            _sctpBuffer = [];
        }
    }

    /// <summary>Worker thread only: creates a transport on <paramref name="server"/>.</summary>
    internal static WebRtcTransport Create(Worker worker, WebRtcServer server, bool ownsServer, DtlsCertificate certificate,
        WebRtcTransportOptions options, Action<TransportEvent> onEvent) =>
        new(worker, server, ownsServer, certificate, options, onEvent);

    public IceParameters IceParameters { get; private set; }

    public IReadOnlyList<IceCandidate> IceCandidates { get; }

    public IReadOnlyList<DtlsFingerprint> LocalFingerprints { get; }

    /// <summary>The SCTP association's settings (immutable), null without SCTP.</summary>
    public SctpAssociationOptions? SctpOptions { get; }

    public IceState IceState => _ice.State;

    public DtlsState DtlsState => _dtls.State;

    internal override bool CanSendRtp => _srtpSend is not null && _selectedTuple is not null;

    protected override bool SendRtp(byte[] buffer, int length)
    {
        if (!_srtpSend!.TryProtectRtp(buffer, length, out var protectedLength, out _))
        {
            Counters.SrtpErrors++;
            return false;
        }
        Send(buffer.AsSpan(0, protectedLength), _selectedTuple!);
        return true;
    }

    protected override void SendRtcp(byte[] buffer, int length)
    {
        if (_srtpSend!.TryProtectRtcp(buffer, length, out var protectedLength, out _))
            Send(buffer.AsSpan(0, protectedLength), _selectedTuple!);
        else
            Counters.SrtpErrors++;
    }

    /// <summary>Starts DTLS once ICE has a selected tuple; the remote certificate must match <paramref name="remoteFingerprint"/>.</summary>
    public Task ConnectAsync(DtlsRole remoteRole, DtlsFingerprint remoteFingerprint) => Worker.InvokeAsync(() =>
    {
        ObjectDisposedException.ThrowIf(Closed, this);
        if (_remoteRole is not null)
            throw new InvalidOperationException("connect() already called");
        _remoteRole = remoteRole;
        _remoteFingerprint = remoteFingerprint;
        MayRunDtls();
    });

    public Task<IceParameters> RestartIceAsync() => Worker.InvokeAsync(() =>
    {
        ObjectDisposedException.ThrowIf(Closed, this);
        var fresh = IceParameters.Generate();
        _ice.RestartIce(fresh.UsernameFragment, fresh.Password, Worker.Now);
        _server.AddUsernameFragment(fresh.UsernameFragment, this);
        IceParameters = fresh;
        DrainIceEvents();
        return fresh;
    });

    public Task<TransportStats> GetStatsAsync() => Worker.InvokeAsync(() => new TransportStats(this, _selectedTuple, _server.AnnouncedAddress));

    public Task CloseAsync() => Worker.InvokeAsync(Close);

    /// <summary>Worker thread: closes ICE, DTLS and the sockets this transport owns.</summary>
    protected override void OnClosed()
    {
        _timer.Dispose();
        _sctpTimer?.Dispose();
        _shapingTimer?.Dispose();
        _uplink?.Clear();
        _downlink?.Clear();
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

    /// <summary>
    /// A network throttle on this transport (applyNetworkThrottle): what it receives and what it
    /// sends go through a shaped link each (bitrate, delay, loss); null lifts it.
    /// </summary>
    public Task SetNetworkShapeAsync(NetworkShape? uplink, NetworkShape? downlink) => Worker.InvokeAsync(() =>
    {
        if (Closed)
            return;
        _uplink?.Clear();
        _downlink?.Clear();
        _uplink = uplink is null ? null : new ShapedLink(uplink);
        _downlink = downlink is null ? null : new ShapedLink(downlink);
        if (_uplink is null && _downlink is null)
        {
            _shapingTimer?.Dispose();
            _shapingTimer = null;
        }
        else
        {
            _shapingTimer ??= Worker.Every(ShapingPeriod, ReleaseShaped);
        }
    });

    private void ReleaseShaped()
    {
        var now = Worker.Now;
        _uplink?.Release(now, _receiveShaped);
        _downlink?.Release(now, _sendShaped);
    }

    /// <summary>Worker thread: a packet from <paramref name="tuple"/> (STUN, DTLS, RTP or RTCP).</summary>
    internal void ReceivePacket(Span<byte> packet, TransportTuple tuple)
    {
        if (_uplink is not null && !Closed)
            _uplink.Offer(packet, tuple, Worker.Now);
        else
            ReceiveNow(packet, tuple);
    }

    private void ReceiveNow(Span<byte> packet, TransportTuple tuple)
    {
        if (Closed || packet.Length == 0)
            return;
        DataReceived(packet.Length);
        switch (StunPacketClassifier.Classify(packet[0]))
        {
            case PacketKind.Stun:
                ReceiveStun(packet, tuple);
                break;
            case PacketKind.Dtls when IsConnectedTuple(tuple):
                if (_dtls.State == DtlsState.New)
                    KeepEarlyDtls(packet);
                else
                {
                    _dtls.HandleIncoming(packet);
                    if (_dtlsOutputPending)
                        DrainDtls();
                }
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
        if (Closed)
            return;
        _ice.RemoveTuple(tuple.Remote, Worker.Now);
        DrainIceEvents();
    }

    /// <summary>
    /// The browser's ClientHello often arrives before connectWebRtcTransport: keep it (a few, bounded)
    /// instead of waiting a second for its retransmission.
    /// </summary>
    private void KeepEarlyDtls(ReadOnlySpan<byte> packet)
    {
        if (_earlyDtls.Count < MaxEarlyDtlsDatagrams)
            _earlyDtls.Add(packet.ToArray());
        else
            Counters.PacketsDropped++;
    }

    private bool IsConnectedTuple(TransportTuple tuple) =>
        _tuples.TryGetValue(tuple.Remote, out var known) && ReferenceEquals(known, tuple);

    private void ReceiveStun(Span<byte> packet, TransportTuple tuple)
    {
        if (!_tuples.ContainsKey(tuple.Remote))
            _tuples[tuple.Remote] = tuple;
        var localPriority = tuple is UdpTuple ? IceCandidate.UdpPriority : IceCandidate.TcpPriority;
        var result = _ice.HandleBinding(packet, tuple.Remote, localPriority, Worker.Now, _stunResponse);
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
            if (session.TryUnprotectRtcp(packet, packet.Length, out var rtcpLength, out var rtcpError))
                ReceiveRtcp(packet[..rtcpLength]);
            else
                CountSrtpReceiveError(rtcpError);
            return;
        }
        if (session.TryUnprotectRtp(packet, packet.Length, out var length, out var error))
            ReceiveRtp(packet, length);
        else
            CountSrtpReceiveError(error);
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
        if (Closed || _remoteRole is null || _dtls.State != DtlsState.New)
            return;
        if (_ice.State is not (IceState.Connected or IceState.Completed) || _selectedTuple is null)
            return;
        _dtls.Start(DtlsRoles.LocalRoleFor(_remoteRole.Value), _remoteFingerprint!);
        foreach (var early in _earlyDtls)
            _dtls.HandleIncoming(early);
        _earlyDtls.Clear();
        DrainDtls();
    }

    /// <summary>
    /// What DTLS queued from the worker's own calls is drained by the caller right after; what a
    /// handshake thread queued is drained by a posted command.
    /// </summary>
    private void OnDtlsOutputQueued()
    {
        if (Worker.IsWorkerThread)
            _dtlsOutputPending = true;
        else
            Worker.Post(DrainDtls);
    }

    /// <summary>Worker thread: sends what DTLS queued, reports its state, keys SRTP once connected.</summary>
    private void DrainDtls()
    {
        SendDtlsDatagrams();
        while (_dtls.TryDequeueStateChange(out var state))
        {
            if (state == DtlsState.Connected && _srtpReceive is null && _dtls.SrtpKeys is { } keys)
            {
                var profile = keys.CryptoSuite.ToSrtpProfile();
                _srtpReceive = new SrtpSession(profile, keys.RemoteMasterKey.Span, keys.RemoteMasterSalt.Span);
                _srtpSend = new SrtpSession(profile, keys.LocalMasterKey.Span, keys.LocalMasterSalt.Span);
            }
            // As mediasoup (usrsctp_connect once DTLS connects): INIT from both ends, a simultaneous
            // open. A peer that waits for ours (werift decides its SCTP role from its ICE role,
            // sometimes before that role is known) would otherwise never open its DataChannels.
            if (state == DtlsState.Connected && _sctp is { State: Sctp.SctpState.New } sctp)
                sctp.Connect(Worker.Now);
            if (state != _reportedDtlsState)
            {
                _reportedDtlsState = state;
                Emit(TransportEventKind.DtlsStateChange, state.ToMediasoupName(), state == DtlsState.Failed ? _dtls.FailureReason : null);
            }
        }
        while (_dtls.TryDequeueApplicationData(out var data))
        {
            if (_sctp is null)
            {
                Counters.DataChannelBytesDropped += data.Length;
                continue;
            }
            _sctp.HandleIncoming(data, Worker.Now);
        }
        DrainSctp();
    }

    private void SendDtlsDatagrams()
    {
        _dtlsOutputPending = false;
        while (_dtls.TryDequeueOutgoing(out var datagram))
        {
            if (_selectedTuple is not null)
                Send(datagram, _selectedTuple);
        }
    }

    /// <summary>Bytes of sent SCTP messages not yet acknowledged by the remote end (0 without SCTP).</summary>
    public long SctpBufferedAmount => _sctp?.BufferedAmount ?? 0;

    public string? SctpState => _sctp?.State.ToString().ToLowerInvariant();

    internal override void AddCountersTo(WorkerMetrics metrics)
    {
        base.AddCountersTo(metrics);
        metrics.AddDtls(_dtls);
        if (_sctp is not null)
            metrics.AddSctp(_sctp.Counters);
        if (_ownsServer)
            metrics.AddServer(_server);
    }

    internal void AddDataProducer(DataProducer dataProducer)
    {
        var streamId = dataProducer.StreamParameters!.StreamId;
        if (_sctp is null)
            throw new InvalidOperationException("SCTP not enabled");
        if (!_dataProducersByStream.TryAdd(streamId, dataProducer))
            throw new InvalidOperationException($"stream with id {streamId} already exists");
    }

    internal void RemoveDataProducer(DataProducer dataProducer) =>
        _dataProducersByStream.Remove(dataProducer.StreamParameters!.StreamId);

    /// <summary>Queues a message on one SCTP stream; false if SCTP is not up or its buffer is full.</summary>
    internal bool SendSctpMessage(SctpStreamParameters stream, uint ppid, byte[] payload)
    {
        if (_sctp is null || _sctp.State != Sctp.SctpState.Connected)
            return false;
        var status = _sctp.SendMessage(stream, ppid, payload, Worker.Now);
        DrainSctp();
        return status == SctpSendStatus.Queued;
    }

    /// <summary>Tells the browser the stream is gone (RFC 6525), so its DataChannel closes.</summary>
    internal void ResetSctpStream(ushort streamId)
    {
        if (_sctp?.State == Sctp.SctpState.Connected)
        {
            _sctp.ResetStreams([streamId], Worker.Now);
            DrainSctp();
        }
    }

    private void OnSctpTimer()
    {
        if (_sctp?.NextTimeout is { } due && due <= Worker.Now)
        {
            _sctp.HandleTimeout(Worker.Now);
            DrainSctp();
        }
    }

    private void DrainSctp()
    {
        if (_sctp is null)
            return;
        while (_sctp.TryDequeueOutgoing(_sctpBuffer, out var length))
        {
            if (_sctpLossInjection > 0 && _sctp.State == Sctp.SctpState.Connected && Random.Shared.NextDouble() < _sctpLossInjection)
            {
                Counters.SctpPacketsDroppedByInjection++;
                continue;
            }
            if (_dtls.State == DtlsState.Connected)
                _dtls.Send(_sctpBuffer.AsSpan(0, length));
        }
        SendDtlsDatagrams();
        while (_sctp.TryDequeueEvent(out var sctpEvent))
        {
            if (sctpEvent.Kind == SctpEventKind.MessageReceived && _dataProducersByStream.TryGetValue(sctpEvent.StreamId, out var producer))
                producer.Receive(sctpEvent.Ppid, sctpEvent.Payload!);
            else if (sctpEvent.Kind == SctpEventKind.MessageReceived)
                Counters.DataChannelBytesDropped += sctpEvent.Payload?.Length ?? 0;
        }
    }

    private void OnTimer()
    {
        _ice.HandleTimeout(Worker.Now);
        DrainIceEvents();
    }

    private void Send(ReadOnlySpan<byte> packet, TransportTuple tuple)
    {
        if (_downlink is not null)
            _downlink.Offer(packet, tuple, Worker.Now);
        else
            SendNow(packet, tuple);
    }

    private void SendNow(Span<byte> packet, TransportTuple tuple) => SendNow((ReadOnlySpan<byte>)packet, tuple);

    private void SendNow(ReadOnlySpan<byte> packet, TransportTuple tuple)
    {
        tuple.Send(packet);
        DataSent(packet.Length);
    }
}
