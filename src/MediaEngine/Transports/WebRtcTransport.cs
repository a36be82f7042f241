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
public sealed class WebRtcTransport
{
    private static readonly TimeSpan TimerPeriod = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan TransportWideCcInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReceiverReportInterval = TimeSpan.FromSeconds(1);
    private TimeSpan _lastReceiverReports;

    private readonly Worker _worker;
    private readonly WebRtcServer _server;
    private readonly bool _ownsServer;
    private readonly Action<TransportEvent> _onEvent;
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
    private bool _closed;

    private readonly List<Producer> _producers = new();
    private readonly Dictionary<uint, Producer> _producersBySsrc = new();
    private readonly Dictionary<uint, Consumer> _consumersBySsrc = new();
    private readonly byte[] _rtcpSendBuffer = new byte[1500];
    private ushort _transportWideSequenceNumber;
    private readonly TransportWideCcFeedback _transportWideCcFeedback = new();
    private readonly Action<int> _sendRtcpPacket;
    private int _incomingTransportWideCcExtensionId;
    private uint _lastIncomingSsrc;
    private IDisposable? _feedbackTimer;
    private readonly SctpAssociation? _sctp;
    private readonly double _sctpLossInjection;
    private readonly double _rtpLossInjection;
    private readonly byte[] _sctpBuffer;
    private readonly Dictionary<ushort, DataProducer> _dataProducersByStream = new();
    private static readonly TimeSpan SctpTimerPeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>Where consumers compose the packet they send; room for the SRTP tag included.</summary>
    internal byte[] RtpSendBuffer { get; } = new byte[2048];

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
        _sendRtcpPacket = SendRtcpPacket;
        _sctpLossInjection = options.SctpLossInjection;
        _rtpLossInjection = options.RtpLossInjection;
        if (options.SctpStreams is { } streams)
        {
            var sctpOptions = new SctpAssociationOptions
            {
                OutboundStreams = (ushort)streams.OutboundStreams,
                MaxInboundStreams = (ushort)streams.MaxInboundStreams,
            };
            _sctp = new SctpAssociation(sctpOptions);
            _sctpBuffer = new byte[sctpOptions.MaxPacketSize];
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

    public string Id { get; }

    public IceParameters IceParameters { get; private set; }

    public IReadOnlyList<IceCandidate> IceCandidates { get; }

    public IReadOnlyList<DtlsFingerprint> LocalFingerprints { get; }

    public IceState IceState => _ice.State;

    public DtlsState DtlsState => _dtls.State;

    public TransportCounters Counters { get; } = new();

    internal TimeSpan Now => _worker.Now;

    internal bool CanSendRtp => _srtpSend is not null && _selectedTuple is not null;

    /// <summary>abs-send-time: seconds in 6.18 fixed point, 24 bits.</summary>
    internal uint AbsSendTime => (uint)((_worker.Now.Ticks << 18) / TimeSpan.TicksPerSecond) & 0xFFFFFF;

    internal ushort NextTransportWideSequenceNumber() => ++_transportWideSequenceNumber;

    internal void AddProducer(Producer producer)
    {
        foreach (var ssrc in producer.RtpParameters.Encodings.Select(e => e.Ssrc).OfType<uint>())
        {
            if (_producersBySsrc.ContainsKey(ssrc))
                throw new InvalidOperationException($"ssrc already exists in RTP listener [ssrc:{ssrc}]");
        }
        if (producer.RtpParameters.Mid is { } mid && _producers.Any(p => p.RtpParameters.Mid == mid))
            throw new InvalidOperationException($"mid already exists in RTP listener [mid:{mid}]");
        _producers.Add(producer);
        foreach (var ssrc in producer.KnownSsrcs)
            _producersBySsrc[ssrc] = producer;
        var transportWideCc = producer.RtpParameters.HeaderExtensions.FirstOrDefault(h => h.Uri == Rtp.RtpHeaderExtensionUris.TransportWideCc);
        if (transportWideCc is not null && _incomingTransportWideCcExtensionId == 0)
        {
            _incomingTransportWideCcExtensionId = transportWideCc.Id;
            _feedbackTimer = _worker.Every(TransportWideCcInterval, FlushTransportWideCcFeedback);
        }
    }

    internal void RemoveProducer(Producer producer)
    {
        _producers.Remove(producer);
        foreach (var (ssrc, owner) in _producersBySsrc.ToList())
        {
            if (owner == producer)
                _producersBySsrc.Remove(ssrc);
        }
    }

    internal void RegisterProducerSsrc(uint ssrc, Producer producer) => _producersBySsrc[ssrc] = producer;

    internal void AddConsumer(Consumer consumer) => _consumersBySsrc[consumer.Ssrc] = consumer;

    internal void RemoveConsumer(Consumer consumer) => _consumersBySsrc.Remove(consumer.Ssrc);

    /// <summary>Protects the packet composed in <see cref="RtpSendBuffer"/> and sends it on the selected tuple.</summary>
    internal bool SendRtpPacket(int length, bool retransmission = false)
    {
        if (_srtpSend is null || _selectedTuple is null)
            return false;
        if (!retransmission && _rtpLossInjection > 0 && Random.Shared.NextDouble() < _rtpLossInjection)
        {
            Counters.RtpPacketsDroppedByInjection++;
            return true;
        }
        if (!_srtpSend.TryProtectRtp(RtpSendBuffer, length, out var protectedLength, out _))
        {
            Counters.SrtpErrors++;
            return false;
        }
        Counters.RtpBytesSent += length;
        Send(RtpSendBuffer.AsSpan(0, protectedLength), _selectedTuple);
        return true;
    }

    internal void SendPli(uint mediaSsrc)
    {
        var length = FeedbackPsPliPacket.Write(_rtcpSendBuffer, 1, mediaSsrc);
        SendRtcpPacket(length);
    }

    private void FlushTransportWideCcFeedback() =>
        _transportWideCcFeedback.Flush(_rtcpSendBuffer, _lastIncomingSsrc, _sendRtcpPacket);

    private void SendRtcpPacket(int length)
    {
        if (_srtpSend is null || _selectedTuple is null)
            return;
        if (_srtpSend.TryProtectRtcp(_rtcpSendBuffer, length, out var protectedLength, out _))
            Send(_rtcpSendBuffer.AsSpan(0, protectedLength), _selectedTuple);
        else
            Counters.SrtpErrors++;
    }

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

    /// <summary>Closed on this side (by its owner, its router or its worker), as opposed to the remote end going away.</summary>
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Worker thread: closes ICE, DTLS and the sockets this transport owns.</summary>
    internal void Close()
    {
        if (_closed)
            return;
        _closed = true;
        _timer.Dispose();
        _sctpTimer?.Dispose();
        _feedbackTimer?.Dispose();
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
                if (_dtls.State == DtlsState.New)
                    KeepEarlyDtls(packet);
                else
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
            if (session.TryUnprotectRtcp(packet, packet.Length, out var rtcpLength, out _))
            {
                Counters.RtcpPacketsReceived++;
                ReceiveRtcp(packet[..rtcpLength]);
            }
            else
            {
                Counters.SrtpErrors++;
            }
            return;
        }
        if (!session.TryUnprotectRtp(packet, packet.Length, out var length, out _))
        {
            Counters.SrtpErrors++;
            return;
        }
        Counters.RtpPacketsReceived++;
        Counters.RtpBytesReceived += length;
        if (!RtpPacket.TryParse(packet, length, out var rtp))
        {
            Counters.PacketsDropped++;
            return;
        }
        if (_incomingTransportWideCcExtensionId != 0 && rtp.TryReadTransportWideSequenceNumber(_incomingTransportWideCcExtensionId, out var wideSequence))
        {
            _transportWideCcFeedback.Record(wideSequence, _worker.Now.Ticks / 10);
            _lastIncomingSsrc = rtp.Ssrc;
            if (_transportWideCcFeedback.PendingCount >= 100)
                FlushTransportWideCcFeedback();
        }
        var producer = ProducerOf(ref rtp);
        if (producer is null)
        {
            Counters.PacketsDropped++;
            return;
        }
        producer.ReceiveRtp(ref rtp);
    }

    /// <summary>mediasoup's RtpListener: by SSRC, else by the MID header extension of the first packets.</summary>
    private Producer? ProducerOf(ref RtpPacket packet)
    {
        if (_producersBySsrc.TryGetValue(packet.Ssrc, out var known))
            return known;
        foreach (var producer in _producers)
        {
            if (producer.RtpParameters.Mid is { } mid && producer.MidExtensionId != 0
                && packet.TryReadMid(producer.MidExtensionId, out var packetMid) && MidEquals(packetMid, mid))
                return producer;
        }
        return _producers.Count == 1 && _producers[0].RtpParameters.Mid is null ? _producers[0] : null;
    }

    private static bool MidEquals(ReadOnlySpan<byte> ascii, string mid)
    {
        if (ascii.Length != mid.Length)
            return false;
        for (var i = 0; i < ascii.Length; i++)
        {
            if (ascii[i] != mid[i])
                return false;
        }
        return true;
    }

    /// <summary>Feedback from the receiving browser: key frame requests go to the producers.</summary>
    private void ReceiveRtcp(ReadOnlySpan<byte> datagram)
    {
        foreach (var packet in new CompoundPacket(datagram))
        {
            if (ReceiverReportPacket.TryParse(packet, out var receiverReports))
            {
                for (var i = 0; i < receiverReports.ReportCount; i++)
                {
                    var block = receiverReports.GetReport(i);
                    if (_consumersBySsrc.TryGetValue(block.Ssrc, out var reported))
                        reported.SendStream.ReceiveReceiverReport(block, NtpTime.Now());
                }
                continue;
            }
            if (SenderReportPacket.TryParse(packet, out var senderReport))
            {
                var report = senderReport.SenderReport;
                if (_producersBySsrc.TryGetValue(report.Ssrc, out var producer))
                    producer.ReceiveSenderReport(report.Ssrc, report.NtpTimestamp, report.RtpTimestamp);
                continue;
            }
            if (FeedbackRtpNackPacket.TryParse(packet, out var nack))
            {
                if (_consumersBySsrc.TryGetValue(nack.MediaSsrc, out var nacked))
                {
                    for (var i = 0; i < nack.ItemCount; i++)
                    {
                        var item = nack.GetItem(i);
                        Counters.NacksReceived++;
                        nacked.Retransmit(item.PacketId, item.LostPacketBitmask);
                    }
                }
                continue;
            }
            uint? mediaSsrc = null;
            if (FeedbackPsPliPacket.TryParse(packet, out var pli))
                mediaSsrc = pli.MediaSsrc;
            else if (FeedbackPsFirPacket.TryParse(packet, out var fir) && fir.ItemCount > 0)
                mediaSsrc = fir.GetItem(0).Ssrc;
            if (mediaSsrc is { } ssrc && _consumersBySsrc.TryGetValue(ssrc, out var consumer))
            {
                Counters.KeyFrameRequestsReceived++;
                consumer.RequestKeyFrame();
            }
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
        foreach (var early in _earlyDtls)
            _dtls.HandleIncoming(early);
        _earlyDtls.Clear();
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
        while (_dtls.TryDequeueApplicationData(out var data))
        {
            if (_sctp is null)
            {
                Counters.DataChannelBytesDropped += data.Length;
                continue;
            }
            _sctp.HandleIncoming(data, _worker.Now);
        }
        DrainSctp();
    }

    public string? SctpState => _sctp?.State.ToString().ToLowerInvariant();

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
        var status = _sctp.SendMessage(stream, ppid, payload, _worker.Now);
        DrainSctp();
        return status == SctpSendStatus.Queued;
    }

    /// <summary>Tells the browser the stream is gone (RFC 6525), so its DataChannel closes.</summary>
    internal void ResetSctpStream(ushort streamId)
    {
        if (_sctp?.State == Sctp.SctpState.Connected)
        {
            _sctp.ResetStreams([streamId], _worker.Now);
            DrainSctp();
        }
    }

    private void OnSctpTimer()
    {
        if (_sctp?.NextTimeout is { } due && due <= _worker.Now)
        {
            _sctp.HandleTimeout(_worker.Now);
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
        while (_sctp.TryDequeueEvent(out var sctpEvent))
        {
            if (sctpEvent.Kind == SctpEventKind.MessageReceived && _dataProducersByStream.TryGetValue(sctpEvent.StreamId, out var producer))
                producer.Receive(sctpEvent.Ppid, sctpEvent.Payload!);
            else if (sctpEvent.Kind == SctpEventKind.MessageReceived)
                Counters.DataChannelBytesDropped += sctpEvent.Payload?.Length ?? 0;
        }
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
        if (_worker.Now - _lastReceiverReports >= ReceiverReportInterval)
        {
            _lastReceiverReports = _worker.Now;
            SendReceiverReports();
            SendSenderReports();
        }
    }

    /// <summary>A sender report and CNAME per consumer that sent media: receivers need them to sync audio and video.</summary>
    private void SendSenderReports()
    {
        var ntpNow = NtpTime.Now();
        foreach (var consumer in _consumersBySsrc.Values)
        {
            if (consumer.SendStream.PacketsSent == 0 || consumer.SendStream.GetSenderReport(ntpNow, _worker.Now) is not { } info)
                continue;
            var report = new SenderReport(info.Ssrc, info.NtpTimestamp, info.RtpTimestamp, info.PacketCount, info.OctetCount);
            var length = SenderReportPacket.Write(_rtcpSendBuffer, in report, []);
            var sdes = new SdesPacketWriter(_rtcpSendBuffer.AsSpan(length));
            sdes.AddCnameChunk(consumer.Ssrc, consumer.Cname);
            length += sdes.Complete();
            SendRtcpPacket(length);
        }
    }

    /// <summary>RTCP receiver reports for every stream the browser sends us (loss, jitter, LSR/DLSR for its RTT).</summary>
    private void SendReceiverReports()
    {
        Span<ReceiverReport> reports = stackalloc ReceiverReport[RtcpCommonHeader.MaxCount];
        var count = 0;
        foreach (var producer in _producers)
        {
            foreach (var stream in producer.Streams)
            {
                if (stream.Receiver is not { } receiver || receiver.PacketsReceived == 0 || count == reports.Length)
                    continue;
                reports[count++] = receiver.GetReceiverReport(_worker.Now);
            }
        }
        if (count == 0)
            return;
        SendRtcpPacket(ReceiverReportPacket.Write(_rtcpSendBuffer, 1, reports[..count]));
    }

    private void Send(ReadOnlySpan<byte> packet, TransportTuple tuple)
    {
        tuple.Send(packet);
        Counters.BytesSent += packet.Length;
    }

    private void Emit(TransportEventKind kind, string value, string? detail = null) =>
        _onEvent(new TransportEvent(Id, kind, value, detail));
}
