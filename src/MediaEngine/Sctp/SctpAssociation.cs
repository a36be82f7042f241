using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace MediaEngine.Sctp;

/// <summary>
/// One SCTP association (RFC 9260) of a WebRTC transport, carried in DTLS application data
/// (RFC 8261): single path, both ports from sctpParameters, CRC32c checksums. Sans-IO: the owner
/// passes received packets to <see cref="HandleIncoming"/>, calls <see cref="HandleTimeout"/> at
/// <see cref="NextTimeout"/>, and after every call drains <see cref="TryDequeueEvent"/> then
/// <see cref="TryDequeueOutgoing"/> (packets for DTLS). Times are the owner's monotonic clock.
/// Supports PR-SCTP (RFC 3758) and stream reset (RFC 6525); no multihoming, restart, AUTH nor I-DATA.
/// Not thread-safe: one thread drives it.
/// </summary>
public sealed class SctpAssociation
{
    private const int HeartbeatInfoLength = 16;
    private const int MaxAbortReasonLength = 128;

    private readonly SctpAssociationOptions _options;
    private readonly byte[] _cookieSecret = RandomNumberGenerator.GetBytes(32);
    private readonly Queue<SctpEvent> _events = [];
    private readonly SctpBufferedAmount _bufferedAmount = new();
    private readonly SctpSendQueue _sendQueue;
    private readonly SctpOutgoingPackets _packets;
    private readonly SctpRetransmissionTimeout _rto;
    private readonly SctpReassemblyQueue _reassembly;
    private readonly HashSet<ushort> _streamsToReset = [];
    private readonly HashSet<ushort> _streamsResetting = [];
    private readonly List<(uint SequenceNumber, SctpReconfigurationResult Result)> _reconfigResponses = [];
    private readonly int _maxDataPayload;

    private SctpProtocolState _state = SctpProtocolState.Closed;
    private bool _wasEstablished;
    private TimeSpan _now;

    private uint _localTag;
    private uint _localInitialTsn;
    private uint _peerTag;
    private uint _peerInitialTsn;
    private uint _peerReceiveWindow;
    private ushort _peerOutboundStreams;
    private ushort _peerInboundStreams;
    private bool _peerSupportsForwardTsn;
    private bool _peerSupportsReConfig;
    private byte[]? _cookieToEcho;

    private SctpRetransmissionQueue? _retransmissionQueue;
    private SctpDataTracker? _dataTracker;

    private TimeSpan? _t1Deadline;
    private TimeSpan _t1Duration;
    private int _t1Retransmissions;
    private TimeSpan? _t2Deadline;
    private TimeSpan? _t3Deadline;
    private TimeSpan? _delayedAckDeadline;
    private TimeSpan? _heartbeatDeadline;
    private TimeSpan? _heartbeatAckDeadline;
    private TimeSpan? _reconfigDeadline;
    private int _errorCount;

    private bool _sackDue;
    private int _dataPacketsSinceSack;
    private uint _advertisedWindow;
    private bool _forwardTsnDue;
    private uint _forwardTsnSentFor;
    private ulong _heartbeatNonce;
    private int _undeliveredBytes;
    private bool _bufferedAmountAboveThreshold;

    private SctpReconfigRequest? _reconfigRequest;
    private bool _reconfigRequestDue;
    private uint _nextReconfigSequenceNumber;
    private uint _lastPeerReconfigSequenceNumber;
    private SctpReconfigurationResult _lastPeerReconfigResult;
    private uint? _performedDeferredResetTsn;

    public SctpAssociation(SctpAssociationOptions? options = null)
    {
        _options = options ?? new SctpAssociationOptions();
        _options.Validate();
        _maxDataPayload = ((_options.MaxPacketSize - SctpCommonHeader.Length) & ~3) - SctpDataChunk.HeaderLength;
        _sendQueue = new SctpSendQueue(_bufferedAmount, Counters);
        _packets = new SctpOutgoingPackets(_options.LocalPort, _options.RemotePort, _options.MaxPacketSize, _options.MaxQueuedPackets, Counters);
        _rto = new SctpRetransmissionTimeout(
            _options.InitialRetransmissionTimeout, _options.MinRetransmissionTimeout, _options.MaxRetransmissionTimeout);
        _reassembly = new SctpReassemblyQueue(_options.MaxMessageSize, Deliver);
    }

    public SctpCounters Counters { get; } = new();

    public SctpState State => _state switch
    {
        SctpProtocolState.Closed => SctpState.New,
        SctpProtocolState.CookieWait or SctpProtocolState.CookieEchoed => SctpState.Connecting,
        SctpProtocolState.Terminated => _wasEstablished ? SctpState.Closed : SctpState.Failed,
        _ => SctpState.Connected,
    };

    /// <summary>Bytes of sent messages not yet acknowledged (nor abandoned), as mediasoup's bufferedAmount.</summary>
    public long BufferedAmount => _bufferedAmount.Value;

    /// <summary>Outgoing streams usable once connected: the smaller of our OS and the peer's MIS.</summary>
    public ushort OutboundStreams { get; private set; }

    /// <summary>Incoming streams accepted once connected: the smaller of our MIS and the peer's OS.</summary>
    public ushort InboundStreams { get; private set; }

    /// <summary>When <see cref="HandleTimeout"/> must be called next; null when no timer runs.</summary>
    public TimeSpan? NextTimeout
    {
        get
        {
            ReadOnlySpan<TimeSpan?> deadlines =
                [_t1Deadline, _t2Deadline, _t3Deadline, _delayedAckDeadline, _heartbeatDeadline, _heartbeatAckDeadline, _reconfigDeadline];
            TimeSpan? next = null;
            foreach (var deadline in deadlines)
            {
                if (deadline is { } due && (next is null || due < next))
                {
                    next = due;
                }
            }

            return next;
        }
    }

    /// <summary>Starts the association as the active side: sends INIT. Without it, the association answers the peer's INIT.</summary>
    public void Connect(TimeSpan now)
    {
        if (_state != SctpProtocolState.Closed)
        {
            throw new InvalidOperationException($"The association has already started ({State}).");
        }

        _now = now;
        _localTag = NewVerificationTag();
        _localInitialTsn = NewVerificationTag();
        _state = SctpProtocolState.CookieWait;
        _t1Duration = _options.InitTimeout;
        _t1Retransmissions = 0;
        SendInit();
        _t1Deadline = now + _t1Duration;
    }

    /// <summary>Takes one SCTP packet (the payload of a DTLS record). Malformed or foreign packets are dropped and counted.</summary>
    public void HandleIncoming(ReadOnlySpan<byte> packet, TimeSpan now)
    {
        _now = now;
        Counters.PacketsReceived++;
        if (_state == SctpProtocolState.Terminated)
        {
            Counters.UnexpectedChunks++;
            return;
        }

        if (!SctpCommonHeader.TryRead(packet, out var header))
        {
            Counters.MalformedPackets++;
            return;
        }

        if (!SctpPacketChecksum.IsValid(packet))
        {
            Counters.ChecksumErrors++;
            return;
        }

        if (header.DestinationPort != _options.LocalPort || header.SourcePort != _options.RemotePort || !IsWellFramed(packet, out var firstChunk))
        {
            Counters.MalformedPackets++;
            return;
        }

        if (!IsVerificationTagAcceptable(header.VerificationTag, firstChunk))
        {
            Counters.VerificationTagMismatches++;
            return;
        }

        bool packetHadData = false;
        var chunks = new SctpChunkEnumerator(packet);
        while (chunks.MoveNext() && _state != SctpProtocolState.Terminated)
        {
            if (!HandleChunk(chunks.Current, header, now, ref packetHadData))
            {
                break;
            }
        }

        if (packetHadData && _state != SctpProtocolState.Terminated)
        {
            OnDataPacketReceived(now);
        }

        Transmit(now);
    }

    /// <summary>Runs the timers due at <paramref name="now"/>.</summary>
    public void HandleTimeout(TimeSpan now)
    {
        _now = now;
        if (now >= _t1Deadline)
        {
            OnT1Expired(now);
        }

        if (now >= _t2Deadline)
        {
            OnT2Expired(now);
        }

        if (now >= _t3Deadline)
        {
            OnT3Expired(now);
        }

        if (now >= _delayedAckDeadline)
        {
            _delayedAckDeadline = null;
            _sackDue = true;
        }

        if (now >= _heartbeatAckDeadline)
        {
            _heartbeatAckDeadline = null;
            IncrementErrorCount("heartbeats unanswered");
        }

        if (now >= _heartbeatDeadline)
        {
            SendHeartbeat(now);
        }

        if (now >= _reconfigDeadline)
        {
            _reconfigDeadline = null;
            if (_reconfigRequest?.SequenceNumber is not null)
            {
                IncrementErrorCount("stream reset unanswered");
            }

            _reconfigRequestDue = _reconfigRequest is not null;
        }

        Transmit(now);
    }

    /// <summary>
    /// Queues a message. <paramref name="maxRetransmits"/> and <paramref name="maxPacketLifeTime"/>
    /// (at most one) make it partially reliable when the peer supports FORWARD-TSN.
    /// </summary>
    public SctpSendStatus SendMessage(
        ushort streamId, uint ppid, ReadOnlySpan<byte> payload, bool ordered, int? maxRetransmits, TimeSpan? maxPacketLifeTime, TimeSpan now)
    {
        _now = now;
        if (_state is not (SctpProtocolState.Closed or SctpProtocolState.CookieWait or SctpProtocolState.CookieEchoed or SctpProtocolState.Established))
        {
            return SctpSendStatus.NotConnected;
        }

        if (payload.IsEmpty)
        {
            return SctpSendStatus.EmptyMessage;
        }

        if (payload.Length > _options.MaxMessageSize)
        {
            return SctpSendStatus.MessageTooLarge;
        }

        if (streamId >= (_state == SctpProtocolState.Established ? OutboundStreams : _options.OutboundStreams))
        {
            return SctpSendStatus.InvalidStream;
        }

        if (_streamsResetting.Contains(streamId))
        {
            return SctpSendStatus.StreamResetting;
        }

        if (_bufferedAmount.Value + payload.Length > _options.SendBufferSize)
        {
            return SctpSendStatus.BufferFull;
        }

        _sendQueue.Enqueue(new SctpOutgoingMessage(streamId, ppid, !ordered, payload.ToArray(), maxRetransmits, now + maxPacketLifeTime));
        _bufferedAmountAboveThreshold |= _bufferedAmount.Value > _options.BufferedAmountLowThreshold;
        Transmit(now);
        return SctpSendStatus.Queued;
    }

    /// <summary>Queues a message on a mediasoup DataProducer or DataConsumer stream, with its reliability.</summary>
    public SctpSendStatus SendMessage(SctpStreamParameters stream, uint ppid, ReadOnlySpan<byte> payload, TimeSpan now) =>
        SendMessage(
            stream.StreamId, ppid, payload, stream.Ordered, stream.MaxRetransmits,
            stream.MaxPacketLifeTime is { } lifetime ? TimeSpan.FromMilliseconds(lifetime) : null, now);

    /// <summary>
    /// Resets outgoing streams (RFC 6525), as closing a data channel does (RFC 8831 §6.7): the
    /// request goes once their queued messages are sent; OutgoingStreamReset follows. False when
    /// not connected or the peer does not support RE-CONFIG.
    /// </summary>
    public bool ResetStreams(ReadOnlySpan<ushort> streamIds, TimeSpan now)
    {
        _now = now;
        if (_state != SctpProtocolState.Established || !_peerSupportsReConfig)
        {
            return false;
        }

        foreach (ushort streamId in streamIds)
        {
            if (_streamsResetting.Add(streamId))
            {
                _streamsToReset.Add(streamId);
            }
        }

        Transmit(now);
        return true;
    }

    /// <summary>Closes gracefully (RFC 9260 §9.2) once everything sent is acknowledged; Closed follows.</summary>
    public void Shutdown(TimeSpan now)
    {
        _now = now;
        switch (_state)
        {
            case SctpProtocolState.Established:
                _state = SctpProtocolState.ShutdownPending;
                Transmit(now);
                break;
            case SctpProtocolState.Closed or SctpProtocolState.CookieWait or SctpProtocolState.CookieEchoed:
                Terminate(SctpEventKind.Closed, "shut down before connecting");
                break;
        }
    }

    /// <summary>Ends the association at once, telling the peer with an ABORT (User-Initiated Abort).</summary>
    public void Abort(string reason, TimeSpan now)
    {
        _now = now;
        if (_state == SctpProtocolState.Terminated)
        {
            return;
        }

        if (_state is not (SctpProtocolState.Closed or SctpProtocolState.CookieWait))
        {
            var reasonBytes = Encoding.UTF8.GetBytes(reason);
            SendAbort(SctpErrorCauseCode.UserInitiatedAbort, reasonBytes.AsSpan(0, Math.Min(reasonBytes.Length, MaxAbortReasonLength)));
        }

        Terminate(SctpEventKind.Closed, reason);
    }

    /// <summary>Copies the next packet to send into <paramref name="destination"/>, which must hold MaxPacketSize bytes.</summary>
    public bool TryDequeueOutgoing(Span<byte> destination, out int length) => _packets.TryDequeue(destination, out length);

    /// <summary>
    /// The next event. Dequeuing a received message frees its bytes from the receive window, and may
    /// queue a window update SACK: drain the outgoing packets after the events.
    /// </summary>
    public bool TryDequeueEvent(out SctpEvent sctpEvent)
    {
        if (!_events.TryDequeue(out sctpEvent))
        {
            return false;
        }

        if (sctpEvent.Kind == SctpEventKind.MessageReceived)
        {
            _undeliveredBytes -= sctpEvent.Payload!.Length;
            if (_dataTracker is not null && _advertisedWindow < _options.ReceiveBufferSize / 4 && ReceiveWindow() >= _options.ReceiveBufferSize / 2)
            {
                _sackDue = true;
                Transmit(_now);
            }
        }

        return true;
    }

    private bool IsWellFramed(ReadOnlySpan<byte> packet, out SctpChunkType firstChunk)
    {
        firstChunk = default;
        int count = 0;
        bool hasInit = false;
        var chunks = new SctpChunkEnumerator(packet);
        while (chunks.MoveNext())
        {
            if (count++ == 0)
            {
                firstChunk = chunks.Current.Type;
            }

            hasInit |= chunks.Current.Type == SctpChunkType.Init;
        }

        // INIT must be alone in its packet (RFC 9260 §6.10).
        return !chunks.IsMalformed && count > 0 && !(hasInit && count > 1);
    }

    /// <summary>RFC 9260 §8.5 and §8.5.1; COOKIE-ECHO tags are checked against the cookie.</summary>
    private bool IsVerificationTagAcceptable(uint tag, SctpChunkType firstChunk) => firstChunk switch
    {
        SctpChunkType.Init => tag == 0,
        SctpChunkType.CookieEcho => true,
        SctpChunkType.Abort or SctpChunkType.ShutdownComplete => HasLocalTag() && (tag == _localTag || (_peerTag != 0 && tag == _peerTag)),
        _ => HasLocalTag() && tag == _localTag,
    };

    private bool HasLocalTag() => _state is not (SctpProtocolState.Closed or SctpProtocolState.Terminated);

    private bool HandleChunk(SctpChunk chunk, SctpCommonHeader header, TimeSpan now, ref bool packetHadData)
    {
        switch (chunk.Type)
        {
            case SctpChunkType.Data:
                packetHadData = true;
                return HandleData(chunk);
            case SctpChunkType.Init:
                return HandleInit(chunk, now);
            case SctpChunkType.InitAck:
                return HandleInitAck(chunk, now);
            case SctpChunkType.CookieEcho:
                return HandleCookieEcho(chunk, header, now);
            case SctpChunkType.CookieAck:
                if (_state == SctpProtocolState.CookieEchoed)
                {
                    EnterEstablished(now);
                }

                return true;
            case SctpChunkType.Sack:
                return HandleSack(chunk, now);
            case SctpChunkType.Heartbeat:
                return HandleHeartbeat(chunk);
            case SctpChunkType.HeartbeatAck:
                return HandleHeartbeatAck(chunk, now);
            case SctpChunkType.ForwardTsn:
                return HandleForwardTsn(chunk);
            case SctpChunkType.ReConfig:
                return HandleReConfig(chunk, now);
            case SctpChunkType.Abort:
                return HandleAbort(chunk);
            case SctpChunkType.Error:
                return HandleError(chunk, now);
            case SctpChunkType.Shutdown:
                return HandleShutdown(chunk, now);
            case SctpChunkType.ShutdownAck:
                return HandleShutdownAck();
            case SctpChunkType.ShutdownComplete:
                if (_state == SctpProtocolState.ShutdownAckSent)
                {
                    Terminate(SctpEventKind.Closed, "shut down");
                }

                return true;
            default:
                Counters.UnexpectedChunks++;
                return SctpChunk.IsSkippedWhenUnrecognized((byte)chunk.Type);
        }
    }

    private bool Malformed()
    {
        Counters.MalformedPackets++;
        return false;
    }

    private bool Unexpected()
    {
        Counters.UnexpectedChunks++;
        return true;
    }

    private bool IsDataFlowing => _state is SctpProtocolState.Established or SctpProtocolState.ShutdownPending
        or SctpProtocolState.ShutdownSent or SctpProtocolState.ShutdownReceived or SctpProtocolState.ShutdownAckSent;

    private bool HandleInit(SctpChunk chunk, TimeSpan now)
    {
        if (!SctpInitChunk.TryParse(chunk, out var init) || init.InitiateTag == 0 || init.OutboundStreams == 0 || init.InboundStreams == 0)
        {
            return Malformed();
        }

        uint localTag;
        uint localInitialTsn;
        switch (_state)
        {
            case SctpProtocolState.Closed:
                localTag = NewVerificationTag();
                localInitialTsn = NewVerificationTag();
                break;
            case SctpProtocolState.CookieWait or SctpProtocolState.CookieEchoed:
                // Simultaneous open (RFC 9260 §5.2.1): answer with the tag of our own INIT.
                localTag = _localTag;
                localInitialTsn = _localInitialTsn;
                break;
            default:
                // A restart of an established association (§5.2.2) is not supported.
                return Unexpected();
        }

        Span<byte> cookie = stackalloc byte[SctpStateCookie.Length];
        SctpStateCookie.Write(cookie, _cookieSecret, new SctpCookieContents(
            now, localTag, localInitialTsn, init.InitiateTag, init.InitialTsn, init.AdvertisedReceiverWindow,
            init.OutboundStreams, init.InboundStreams, init.ForwardTsnSupported, init.SupportsExtension(SctpChunkType.ReConfig)));
        var destination = _packets.Reserve(init.InitiateTag, _packets.MaxChunkLength);
        int length = SctpInitChunk.Write(
            destination, SctpChunkType.InitAck, localTag, (uint)_options.ReceiveBufferSize, _options.OutboundStreams,
            _options.MaxInboundStreams, localInitialTsn, forwardTsnSupported: true, SupportedExtensions, cookie);
        _packets.Commit(length);
        _packets.Flush();
        return true;
    }

    private bool HandleInitAck(SctpChunk chunk, TimeSpan now)
    {
        if (_state != SctpProtocolState.CookieWait)
        {
            return Unexpected();
        }

        if (!SctpInitChunk.TryParse(chunk, out var initAck) || initAck.Type != SctpChunkType.InitAck || initAck.InitiateTag == 0
            || initAck.OutboundStreams == 0 || initAck.InboundStreams == 0 || initAck.StateCookie.IsEmpty
            || initAck.StateCookie.Length > _packets.MaxChunkLength - SctpChunk.HeaderLength)
        {
            return Malformed();
        }

        AdoptPeer(initAck.InitiateTag, initAck.InitialTsn, initAck.AdvertisedReceiverWindow, initAck.OutboundStreams,
            initAck.InboundStreams, initAck.ForwardTsnSupported, initAck.SupportsExtension(SctpChunkType.ReConfig));
        _cookieToEcho = initAck.StateCookie.ToArray();
        _state = SctpProtocolState.CookieEchoed;
        _t1Duration = _options.InitTimeout;
        _t1Retransmissions = 0;
        SendCookieEcho();
        _t1Deadline = now + _t1Duration;
        return true;
    }

    private bool HandleCookieEcho(SctpChunk chunk, SctpCommonHeader header, TimeSpan now)
    {
        if (!SctpCookieEchoChunk.TryParse(chunk, out var cookieEcho))
        {
            return Malformed();
        }

        var validity = SctpStateCookie.Read(cookieEcho.Cookie, _cookieSecret, now, _options.CookieLifetime, out var cookie);
        if (validity == SctpCookieValidity.Forged || header.VerificationTag != cookie.LocalTag)
        {
            Counters.InvalidCookies++;
            return false;
        }

        if (validity == SctpCookieValidity.Stale)
        {
            Counters.StaleCookies++;
            Span<byte> staleness = stackalloc byte[4];
            long microseconds = (long)(now - cookie.CreatedAt - _options.CookieLifetime).TotalMicroseconds;
            BinaryPrimitives.WriteUInt32BigEndian(staleness, (uint)Math.Clamp(microseconds, 0, uint.MaxValue));
            var destination = _packets.Reserve(cookie.PeerTag, SctpAbortOrErrorChunk.LengthFor(4));
            _packets.Commit(SctpAbortOrErrorChunk.Write(destination, SctpChunkType.Error, false, SctpErrorCauseCode.StaleCookie, staleness));
            _packets.Flush();
            return false;
        }

        switch (_state)
        {
            case SctpProtocolState.Closed:
                _localTag = cookie.LocalTag;
                _localInitialTsn = cookie.LocalInitialTsn;
                break;
            case SctpProtocolState.CookieWait or SctpProtocolState.CookieEchoed when cookie.LocalTag == _localTag:
                break;
            case SctpProtocolState.Established when cookie.LocalTag == _localTag && cookie.PeerTag == _peerTag:
                SendCookieAck();
                return true;
            default:
                Counters.InvalidCookies++;
                return false;
        }

        AdoptPeer(cookie.PeerTag, cookie.PeerInitialTsn, cookie.PeerReceiveWindow, cookie.PeerOutboundStreams,
            cookie.PeerInboundStreams, cookie.PeerSupportsForwardTsn, cookie.PeerSupportsReConfig);
        EnterEstablished(now);
        SendCookieAck();
        return true;
    }

    private bool HandleData(SctpChunk chunk)
    {
        if (!IsDataFlowing || _dataTracker is null)
        {
            return Unexpected();
        }

        if (!SctpDataChunk.TryParse(chunk, out var data))
        {
            return Malformed();
        }

        uint tsn = data.Tsn;
        if (_dataTracker.IsDuplicate(tsn))
        {
            Counters.DuplicateDataChunks++;
            _dataTracker.RecordDuplicate(tsn);
            _sackDue = true;
            return true;
        }

        if (!_dataTracker.IsWithinWindow(tsn) || ReceiveWindow() < data.UserData.Length)
        {
            Counters.DroppedDataChunks++;
            _sackDue = true;
            return true;
        }

        _dataTracker.MarkReceived(tsn);
        if (data.StreamId >= InboundStreams)
        {
            Counters.DroppedDataChunks++;
            return true;
        }

        if (!_reassembly.Insert(data))
        {
            AbortWithCause(SctpErrorCauseCode.ProtocolViolation, "message larger than the maximum message size");
            return false;
        }

        return PerformDeferredResetWhenReached();
    }

    private bool PerformDeferredResetWhenReached()
    {
        if (_reassembly.DeferredResetTsn is not { } resetTsn || SctpSerialNumber.IsNewer(resetTsn, _dataTracker!.CumulativeTsn))
        {
            return true;
        }

        bool withinLimits = _reassembly.PerformDeferredReset(out var streamIds);
        _performedDeferredResetTsn = resetTsn;
        RaiseIncomingStreamResets(streamIds);
        if (!withinLimits)
        {
            AbortWithCause(SctpErrorCauseCode.ProtocolViolation, "message larger than the maximum message size");
        }

        return withinLimits;
    }

    private void OnDataPacketReceived(TimeSpan now)
    {
        _dataPacketsSinceSack++;
        // RFC 9260 §6.2: acknowledge at least every second packet, and at once when out of order.
        if (_sackDue || _dataPacketsSinceSack >= 2 || _dataTracker!.HasGaps || _state != SctpProtocolState.Established)
        {
            _sackDue = true;
        }
        else
        {
            _delayedAckDeadline ??= now + Min(_options.DelayedAckTimeout, _rto.Value / 2);
        }
    }

    private bool HandleSack(SctpChunk chunk, TimeSpan now)
    {
        if (!IsDataFlowing || _retransmissionQueue is null)
        {
            return Unexpected();
        }

        if (!SctpSackChunk.TryParse(chunk, out var sack))
        {
            return Malformed();
        }

        if (!_retransmissionQueue.HandleSack(sack, now, out bool cumulativeAckAdvanced))
        {
            return Unexpected();
        }

        // SACKs answering zero window probes keep the association alive too (RFC 9260 §6.1).
        if (cumulativeAckAdvanced || sack.AdvertisedReceiverWindow == 0)
        {
            _errorCount = 0;
        }

        if (cumulativeAckAdvanced)
        {
            _t3Deadline = null;
        }

        _forwardTsnDue |= _retransmissionQueue.NeedsForwardTsn;
        return true;
    }

    private bool HandleForwardTsn(SctpChunk chunk)
    {
        if (!IsDataFlowing || _dataTracker is null)
        {
            return Unexpected();
        }

        if (!SctpForwardTsnChunk.TryParse(chunk, out var forwardTsn))
        {
            return Malformed();
        }

        _sackDue = true;
        uint newCumulativeTsn = forwardTsn.NewCumulativeTsn;
        if (!SctpSerialNumber.IsNewer(newCumulativeTsn, _dataTracker.CumulativeTsn))
        {
            return true;
        }

        _reassembly.DiscardFragmentsUpTo(newCumulativeTsn);
        _dataTracker.ForwardTo(newCumulativeTsn);
        for (int index = 0; index < forwardTsn.StreamCount; index++)
        {
            var stream = forwardTsn.GetStream(index);
            _reassembly.SkipOrderedTo(stream.StreamId, stream.Ssn);
        }

        return PerformDeferredResetWhenReached();
    }

    private bool HandleHeartbeat(SctpChunk chunk)
    {
        if (!SctpHeartbeatChunk.TryParse(chunk, out var heartbeat) || heartbeat.Type != SctpChunkType.Heartbeat
            || SctpHeartbeatChunk.LengthFor(heartbeat.Info.Length) > _packets.MaxChunkLength)
        {
            return Malformed();
        }

        var destination = _packets.Reserve(_peerTag, SctpHeartbeatChunk.LengthFor(heartbeat.Info.Length));
        _packets.Commit(SctpHeartbeatChunk.Write(destination, SctpChunkType.HeartbeatAck, heartbeat.Info));
        return true;
    }

    private bool HandleHeartbeatAck(SctpChunk chunk, TimeSpan now)
    {
        if (!SctpHeartbeatChunk.TryParse(chunk, out var ack) || ack.Type != SctpChunkType.HeartbeatAck)
        {
            return Malformed();
        }

        if (ack.Info.Length != HeartbeatInfoLength || BinaryPrimitives.ReadUInt64BigEndian(ack.Info[8..]) != _heartbeatNonce || _heartbeatAckDeadline is null)
        {
            return Unexpected();
        }

        _heartbeatAckDeadline = null;
        _errorCount = 0;
        _rto.Measure(now - TimeSpan.FromTicks(BinaryPrimitives.ReadInt64BigEndian(ack.Info)));
        return true;
    }

    private bool HandleAbort(SctpChunk chunk)
    {
        if (!SctpAbortOrErrorChunk.TryParse(chunk, out var abort))
        {
            return Malformed();
        }

        string reason = SctpErrorCause.TryReadFirst(abort.Causes, out var cause)
            ? $"the peer aborted: {cause.Code}" + (cause.Code == SctpErrorCauseCode.UserInitiatedAbort && Utf8.IsValid(cause.Information)
                ? $" ({Encoding.UTF8.GetString(cause.Information)})"
                : string.Empty)
            : "the peer aborted";
        Terminate(SctpEventKind.Aborted, reason);
        return false;
    }

    private bool HandleError(SctpChunk chunk, TimeSpan now)
    {
        if (!SctpAbortOrErrorChunk.TryParse(chunk, out var error))
        {
            return Malformed();
        }

        // A stale cookie means the handshake took too long: start it again (RFC 9260 §5.2.6).
        if (_state == SctpProtocolState.CookieEchoed && SctpErrorCause.TryReadFirst(error.Causes, out var cause)
            && cause.Code == SctpErrorCauseCode.StaleCookie)
        {
            _state = SctpProtocolState.CookieWait;
            _peerTag = 0;
            _cookieToEcho = null;
            SendInit();
            _t1Deadline = now + _t1Duration;
        }

        return true;
    }

    private bool HandleShutdown(SctpChunk chunk, TimeSpan now)
    {
        if (!IsDataFlowing || _retransmissionQueue is null)
        {
            return Unexpected();
        }

        if (!SctpShutdownChunk.TryParse(chunk, out var shutdown))
        {
            return Malformed();
        }

        _retransmissionQueue.HandleCumulativeAck(shutdown.CumulativeTsnAck);
        switch (_state)
        {
            case SctpProtocolState.Established or SctpProtocolState.ShutdownPending:
                _state = SctpProtocolState.ShutdownReceived;
                break;
            case SctpProtocolState.ShutdownSent:
                // Both sides shut down at once (RFC 9260 §9.2): answer with SHUTDOWN-ACK.
                _state = SctpProtocolState.ShutdownAckSent;
                SendShutdownAck(now);
                break;
        }

        return true;
    }

    private bool HandleShutdownAck()
    {
        if (_state is not (SctpProtocolState.ShutdownSent or SctpProtocolState.ShutdownAckSent))
        {
            return Unexpected();
        }

        var destination = _packets.Reserve(_peerTag, SctpChunk.HeaderLength);
        _packets.Commit(SctpChunk.WriteEmpty(destination, SctpChunkType.ShutdownComplete));
        _packets.Flush();
        Terminate(SctpEventKind.Closed, "shut down");
        return false;
    }

    private bool HandleReConfig(SctpChunk chunk, TimeSpan now)
    {
        if (_state != SctpProtocolState.Established || _dataTracker is null)
        {
            return Unexpected();
        }

        if (!SctpReConfigChunk.TryParse(chunk, out var reConfig))
        {
            return Malformed();
        }

        var parameters = new SctpParameterEnumerator(reConfig.Parameters);
        while (parameters.MoveNext())
        {
            var parameter = parameters.Current;
            if (SctpOutgoingSsnResetRequest.TryParse(parameter, out var outgoingReset))
            {
                HandleOutgoingResetRequest(outgoingReset);
            }
            else if (SctpIncomingSsnResetRequest.TryParse(parameter, out var incomingReset))
            {
                // As dcsctp: nothing is reset on request; data channels reset their own outgoing streams.
                if (IsNextPeerReconfigRequest(incomingReset.RequestSequenceNumber))
                {
                    RespondToPeerReconfig(incomingReset.RequestSequenceNumber, SctpReconfigurationResult.SuccessNothingToDo);
                }
            }
            else if (SctpReconfigurationResponse.TryParse(parameter, out var response))
            {
                HandleReconfigResponse(response, now);
            }
            else
            {
                return Malformed();
            }
        }

        return true;
    }

    private void HandleOutgoingResetRequest(SctpOutgoingSsnResetRequest request)
    {
        if (!IsNextPeerReconfigRequest(request.RequestSequenceNumber))
        {
            return;
        }

        var streamIds = new ushort[request.StreamCount];
        for (int index = 0; index < streamIds.Length; index++)
        {
            streamIds[index] = request.GetStreamId(index);
        }

        uint lastTsn = request.SendersLastAssignedTsn;
        if (lastTsn == _performedDeferredResetTsn)
        {
            // The retry, with a new sequence number, of a request answered "in progress" and performed since.
            _performedDeferredResetTsn = null;
            RespondToPeerReconfig(request.RequestSequenceNumber, SctpReconfigurationResult.SuccessPerformed);
        }
        else if (SctpSerialNumber.IsNewer(lastTsn, _dataTracker!.CumulativeTsn))
        {
            // RFC 6525 §5.2.2 E2: wait for every TSN up to the sender's last before resetting.
            _reassembly.DeferReset(lastTsn, streamIds);
            RespondToPeerReconfig(request.RequestSequenceNumber, SctpReconfigurationResult.InProgress);
        }
        else
        {
            _reassembly.ResetStreams(streamIds);
            RaiseIncomingStreamResets(streamIds);
            RespondToPeerReconfig(request.RequestSequenceNumber, SctpReconfigurationResult.SuccessPerformed);
        }
    }

    /// <summary>RFC 6525 §5.2.1: a retransmitted request gets the same answer, an unexpected one "bad sequence number".</summary>
    private bool IsNextPeerReconfigRequest(uint sequenceNumber)
    {
        if (sequenceNumber == _lastPeerReconfigSequenceNumber)
        {
            _reconfigResponses.Add((sequenceNumber, _lastPeerReconfigResult));
            return false;
        }

        if (sequenceNumber != _lastPeerReconfigSequenceNumber + 1)
        {
            _reconfigResponses.Add((sequenceNumber, SctpReconfigurationResult.ErrorBadSequenceNumber));
            return false;
        }

        return true;
    }

    private void RespondToPeerReconfig(uint sequenceNumber, SctpReconfigurationResult result)
    {
        _lastPeerReconfigSequenceNumber = sequenceNumber;
        _lastPeerReconfigResult = result;
        _reconfigResponses.Add((sequenceNumber, result));
    }

    private void HandleReconfigResponse(SctpReconfigurationResponse response, TimeSpan now)
    {
        if (_reconfigRequest is not { SequenceNumber: { } sequenceNumber } request || response.ResponseSequenceNumber != sequenceNumber)
        {
            Counters.UnexpectedChunks++;
            return;
        }

        _reconfigDeadline = null;
        switch (response.Result)
        {
            case SctpReconfigurationResult.SuccessPerformed or SctpReconfigurationResult.SuccessNothingToDo:
                foreach (ushort streamId in request.StreamIds)
                {
                    _sendQueue.ResetSsn(streamId);
                    _streamsResetting.Remove(streamId);
                    _events.Enqueue(new SctpEvent(SctpEventKind.OutgoingStreamReset, streamId));
                }

                _reconfigRequest = null;
                break;
            case SctpReconfigurationResult.InProgress:
                request.SequenceNumber = null;
                _reconfigDeadline = now + _rto.Value;
                break;
            default:
                foreach (ushort streamId in request.StreamIds)
                {
                    _streamsResetting.Remove(streamId);
                    _events.Enqueue(new SctpEvent(SctpEventKind.OutgoingStreamResetFailed, streamId, Reason: response.Result.ToString()));
                }

                _reconfigRequest = null;
                break;
        }
    }

    private void RaiseIncomingStreamResets(ushort[] streamIds)
    {
        foreach (ushort streamId in streamIds)
        {
            _events.Enqueue(new SctpEvent(SctpEventKind.IncomingStreamReset, streamId));
        }
    }

    private void AdoptPeer(
        uint peerTag, uint peerInitialTsn, uint peerReceiveWindow, ushort peerOutboundStreams, ushort peerInboundStreams,
        bool supportsForwardTsn, bool supportsReConfig)
    {
        _peerTag = peerTag;
        _peerInitialTsn = peerInitialTsn;
        _peerReceiveWindow = peerReceiveWindow;
        _peerOutboundStreams = peerOutboundStreams;
        _peerInboundStreams = peerInboundStreams;
        _peerSupportsForwardTsn = supportsForwardTsn;
        _peerSupportsReConfig = supportsReConfig;
    }

    private void EnterEstablished(TimeSpan now)
    {
        _state = SctpProtocolState.Established;
        _wasEstablished = true;
        _cookieToEcho = null;
        _t1Deadline = null;
        OutboundStreams = Math.Min(_options.OutboundStreams, _peerInboundStreams);
        InboundStreams = Math.Min(_options.MaxInboundStreams, _peerOutboundStreams);
        _dataTracker = new SctpDataTracker(_peerInitialTsn);
        var congestion = new SctpCongestionControl(_options.MaxPacketSize, _options.InitialCongestionWindowPackets, _peerReceiveWindow);
        _retransmissionQueue = new SctpRetransmissionQueue(
            _localInitialTsn, _bufferedAmount, congestion, _rto, Counters, _peerSupportsForwardTsn, _peerReceiveWindow);
        // RFC 6525 §5.1.1: request sequence numbers start at the initial TSN.
        _nextReconfigSequenceNumber = _localInitialTsn;
        _lastPeerReconfigSequenceNumber = _peerInitialTsn - 1;
        _heartbeatDeadline = now + _options.HeartbeatInterval;
        _events.Enqueue(new SctpEvent(SctpEventKind.Connected));
    }

    private void Transmit(TimeSpan now)
    {
        if (IsDataFlowing)
        {
            WriteControlChunks(now);
            if (WriteDataChunks(now))
            {
                _heartbeatDeadline = now + _options.HeartbeatInterval;
            }

            // Messages abandoned while retransmitting: tell the peer now, in a packet of its own
            // since control chunks may not follow DATA (RFC 9260 §6.10).
            if (ForwardTsnPointMovedSinceSent)
            {
                _packets.Flush();
                WriteForwardTsn();
            }

            if (_retransmissionQueue!.NeedsRetransmissionTimer)
            {
                _t3Deadline ??= now + _rto.Value;
            }
            else
            {
                _t3Deadline = null;
            }

            ProgressShutdown(now);
        }

        _packets.Flush();
        RaiseBufferedAmountLow();
    }

    private void WriteControlChunks(TimeSpan now)
    {
        // A delayed SACK rides along with data about to leave; control chunks come first (RFC 9260 §6.10).
        bool dataWaiting = _retransmissionQueue!.HasRetransmissions || (_state != SctpProtocolState.ShutdownSent && _sendQueue.HasData(now));
        if (_sackDue || (_delayedAckDeadline is not null && dataWaiting))
        {
            WriteSack();
        }

        if (_forwardTsnDue || ForwardTsnPointMovedSinceSent)
        {
            WriteForwardTsn();
        }

        foreach (var (sequenceNumber, result) in _reconfigResponses)
        {
            var destination = _packets.Reserve(_peerTag, SctpChunk.HeaderLength + SctpReconfigurationResponse.Length);
            int parameterLength = SctpReconfigurationResponse.Write(destination[SctpChunk.HeaderLength..], sequenceNumber, result);
            _packets.Commit(SctpReConfigChunk.WriteHeader(destination, parameterLength));
        }

        _reconfigResponses.Clear();
        WriteReconfigRequest();
    }

    private bool ForwardTsnPointMovedSinceSent =>
        _retransmissionQueue!.NeedsForwardTsn && _retransmissionQueue.AdvancedPeerAckPoint != _forwardTsnSentFor;

    private void WriteForwardTsn()
    {
        _forwardTsnDue = false;
        var retransmissionQueue = _retransmissionQueue!;
        if (!retransmissionQueue.NeedsForwardTsn)
        {
            return;
        }

        int length = retransmissionQueue.PrepareForwardTsn(_packets.MaxChunkLength);
        var destination = _packets.Reserve(_peerTag, length);
        _packets.Commit(retransmissionQueue.WriteForwardTsn(destination));
        _forwardTsnSentFor = retransmissionQueue.AdvancedPeerAckPoint;
    }

    private void WriteReconfigRequest()
    {
        if (_state != SctpProtocolState.Established)
        {
            return;
        }

        if (_reconfigRequest is null && _streamsToReset.Count > 0 && !_streamsToReset.Any(_sendQueue.HasQueuedOn))
        {
            _reconfigRequest = new SctpReconfigRequest([.. _streamsToReset], _retransmissionQueue!.NextTsn - 1);
            _streamsToReset.Clear();
            _reconfigRequestDue = true;
        }

        if (!_reconfigRequestDue || _reconfigRequest is not { } request)
        {
            return;
        }

        _reconfigRequestDue = false;
        request.SequenceNumber ??= _nextReconfigSequenceNumber++;
        int parameterLength = SctpOutgoingSsnResetRequest.LengthFor(request.StreamIds.Length);
        var destination = _packets.Reserve(_peerTag, SctpChunk.HeaderLength + parameterLength);
        SctpOutgoingSsnResetRequest.Write(
            destination[SctpChunk.HeaderLength..], request.SequenceNumber.Value, _lastPeerReconfigSequenceNumber,
            request.SendersLastAssignedTsn, request.StreamIds);
        _packets.Commit(SctpReConfigChunk.WriteHeader(destination, parameterLength));
        _reconfigDeadline = _now + _rto.Value;
    }

    private void WriteSack()
    {
        _sackDue = false;
        _delayedAckDeadline = null;
        _dataPacketsSinceSack = 0;
        _advertisedWindow = (uint)ReceiveWindow();
        var destination = _packets.Reserve(_peerTag, SctpDataTracker.MaxSackLength);
        _packets.Commit(_dataTracker!.WriteSack(destination, _advertisedWindow));
    }

    private bool WriteDataChunks(TimeSpan now)
    {
        var retransmissionQueue = _retransmissionQueue!;
        bool sent = false;
        while (retransmissionQueue.HasRetransmissions)
        {
            if (!retransmissionQueue.TryTakeRetransmission(_packets.SpaceFor(_peerTag), now, out var fragment))
            {
                if (!_packets.IsBuilding || !retransmissionQueue.TryTakeRetransmission(_packets.MaxChunkLength, now, out fragment))
                {
                    break;
                }
            }

            WriteData(fragment);
            sent = true;
        }

        bool mayStartMessages = _state is SctpProtocolState.Established or SctpProtocolState.ShutdownPending or SctpProtocolState.ShutdownReceived;
        while (mayStartMessages && _sendQueue.HasData(now))
        {
            int remaining = _sendQueue.HeadRemaining;
            int space = _packets.SpaceFor(_peerTag) - SctpDataChunk.HeaderLength;
            // Rather than a sliver of the next message, start a new packet.
            int length = space >= Math.Min(remaining, _maxDataPayload) ? Math.Min(remaining, space) : Math.Min(remaining, _maxDataPayload);
            if (!retransmissionQueue.CanSendNew(length))
            {
                break;
            }

            var message = _sendQueue.TakeFragment(length, retransmissionQueue.NextTsn, out int offset, out int taken, out var flags);
            WriteData(retransmissionQueue.Add(message, offset, taken, flags, now));
            sent = true;
        }

        return sent;
    }

    private void WriteData(SctpDataFragment fragment)
    {
        var destination = _packets.Reserve(_peerTag, SctpDataChunk.HeaderLength + fragment.Length);
        _packets.Commit(fragment.Write(destination));
    }

    private void ProgressShutdown(TimeSpan now)
    {
        bool allAcknowledged = _retransmissionQueue!.IsEmpty && _sendQueue.IsEmpty;
        if (!allAcknowledged)
        {
            return;
        }

        if (_state == SctpProtocolState.ShutdownPending)
        {
            _state = SctpProtocolState.ShutdownSent;
            SendShutdown(now);
        }
        else if (_state == SctpProtocolState.ShutdownReceived)
        {
            _state = SctpProtocolState.ShutdownAckSent;
            SendShutdownAck(now);
        }
    }

    private void SendShutdown(TimeSpan now)
    {
        var destination = _packets.Reserve(_peerTag, SctpShutdownChunk.Length);
        _packets.Commit(SctpShutdownChunk.Write(destination, _dataTracker!.CumulativeTsn));
        _t2Deadline = now + _rto.Value;
    }

    private void SendShutdownAck(TimeSpan now)
    {
        var destination = _packets.Reserve(_peerTag, SctpChunk.HeaderLength);
        _packets.Commit(SctpChunk.WriteEmpty(destination, SctpChunkType.ShutdownAck));
        _t2Deadline = now + _rto.Value;
    }

    private void OnT1Expired(TimeSpan now)
    {
        _t1Deadline = null;
        if (++_t1Retransmissions > _options.MaxInitRetransmissions)
        {
            Terminate(SctpEventKind.Aborted, _state == SctpProtocolState.CookieWait ? "INIT unanswered" : "COOKIE-ECHO unanswered");
            return;
        }

        _t1Duration = Min(_t1Duration * 2, _options.MaxRetransmissionTimeout);
        if (_state == SctpProtocolState.CookieWait)
        {
            SendInit();
        }
        else if (_state == SctpProtocolState.CookieEchoed)
        {
            SendCookieEcho();
        }

        _t1Deadline = now + _t1Duration;
    }

    private void OnT2Expired(TimeSpan now)
    {
        _t2Deadline = null;
        _rto.BackOff();
        if (!IncrementErrorCount("SHUTDOWN unanswered"))
        {
            return;
        }

        if (_state == SctpProtocolState.ShutdownSent)
        {
            SendShutdown(now);
        }
        else if (_state == SctpProtocolState.ShutdownAckSent)
        {
            SendShutdownAck(now);
        }
    }

    private void OnT3Expired(TimeSpan now)
    {
        _t3Deadline = null;
        if (_retransmissionQueue is null)
        {
            return;
        }

        _retransmissionQueue.HandleRetransmissionTimeout(now);
        _forwardTsnDue |= _retransmissionQueue.NeedsForwardTsn;
        IncrementErrorCount("too many retransmissions");
    }

    /// <summary>Counts a timeout against Association.Max.Retrans; false once the association was aborted for it.</summary>
    private bool IncrementErrorCount(string reason)
    {
        if (++_errorCount <= _options.MaxRetransmissions)
        {
            return true;
        }

        AbortWithCause(SctpErrorCauseCode.UserInitiatedAbort, reason);
        return false;
    }

    private void SendHeartbeat(TimeSpan now)
    {
        _heartbeatDeadline = now + _options.HeartbeatInterval + _rto.Value;
        // With data outstanding T3 already watches the path.
        if (_state != SctpProtocolState.Established || _t3Deadline is not null)
        {
            return;
        }

        Span<byte> info = stackalloc byte[HeartbeatInfoLength];
        BinaryPrimitives.WriteInt64BigEndian(info, now.Ticks);
        RandomNumberGenerator.Fill(info[8..]);
        _heartbeatNonce = BinaryPrimitives.ReadUInt64BigEndian(info[8..]);
        var destination = _packets.Reserve(_peerTag, SctpHeartbeatChunk.LengthFor(HeartbeatInfoLength));
        _packets.Commit(SctpHeartbeatChunk.Write(destination, SctpChunkType.Heartbeat, info));
        _heartbeatAckDeadline = now + _rto.Value;
    }

    private void SendInit()
    {
        var destination = _packets.Reserve(0, _packets.MaxChunkLength);
        _packets.Commit(SctpInitChunk.Write(
            destination, SctpChunkType.Init, _localTag, (uint)ReceiveWindow(), _options.OutboundStreams, _options.MaxInboundStreams,
            _localInitialTsn, forwardTsnSupported: true, SupportedExtensions, []));
        _packets.Flush();
    }

    private void SendCookieEcho()
    {
        var destination = _packets.Reserve(_peerTag, SctpChunk.HeaderLength + _cookieToEcho!.Length);
        _packets.Commit(SctpCookieEchoChunk.Write(destination, _cookieToEcho));
        _packets.Flush();
    }

    private void SendCookieAck()
    {
        var destination = _packets.Reserve(_peerTag, SctpChunk.HeaderLength);
        _packets.Commit(SctpChunk.WriteEmpty(destination, SctpChunkType.CookieAck));
    }

    private void SendAbort(SctpErrorCauseCode code, ReadOnlySpan<byte> information)
    {
        _packets.Flush();
        var destination = _packets.Reserve(_peerTag, SctpAbortOrErrorChunk.LengthFor(information.Length));
        _packets.Commit(SctpAbortOrErrorChunk.Write(destination, SctpChunkType.Abort, false, code, information));
        _packets.Flush();
    }

    private void AbortWithCause(SctpErrorCauseCode code, string reason)
    {
        SendAbort(code, code == SctpErrorCauseCode.UserInitiatedAbort ? Encoding.UTF8.GetBytes(reason) : []);
        Terminate(SctpEventKind.Aborted, reason);
    }

    private void Terminate(SctpEventKind kind, string reason)
    {
        _state = SctpProtocolState.Terminated;
        _t1Deadline = _t2Deadline = _t3Deadline = _delayedAckDeadline = _heartbeatDeadline = _heartbeatAckDeadline = _reconfigDeadline = null;
        _events.Enqueue(new SctpEvent(kind, Reason: reason));
    }

    private void Deliver(ushort streamId, uint ppid, byte[] payload)
    {
        _undeliveredBytes += payload.Length;
        _events.Enqueue(new SctpEvent(SctpEventKind.MessageReceived, streamId, ppid, payload));
    }

    private int ReceiveWindow() => Math.Max(0, _options.ReceiveBufferSize - _reassembly.BufferedBytes - _undeliveredBytes);

    private void RaiseBufferedAmountLow()
    {
        if (_bufferedAmountAboveThreshold && _bufferedAmount.Value <= _options.BufferedAmountLowThreshold)
        {
            _bufferedAmountAboveThreshold = false;
            _events.Enqueue(new SctpEvent(SctpEventKind.BufferedAmountLow));
        }
    }

    private static ReadOnlySpan<byte> SupportedExtensions => [(byte)SctpChunkType.ForwardTsn, (byte)SctpChunkType.ReConfig];

    private static uint NewVerificationTag()
    {
        Span<byte> bytes = stackalloc byte[4];
        uint tag;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            tag = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }
        while (tag == 0);

        return tag;
    }

    private static TimeSpan Min(TimeSpan first, TimeSpan second) => first < second ? first : second;
}
