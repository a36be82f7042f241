using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Tls;
using BcDtlsTransport = Org.BouncyCastle.Tls.DtlsTransport;

namespace MediaEngine.Dtls;

/// <summary>
/// DTLS 1.2 endpoint of a WebRTC transport, behaving like mediasoup's DtlsTransport, without any
/// socket. The caller feeds received DTLS datagrams to <see cref="HandleIncoming"/> and, whenever
/// <see cref="OutputQueued"/> fires, drains <see cref="TryDequeueOutgoing"/> (datagrams to send to
/// the remote end), <see cref="TryDequeueStateChange"/> and <see cref="TryDequeueApplicationData"/>.
/// BouncyCastle's blocking handshake runs on <see cref="DtlsHandshakePool"/>; once connected, records
/// are sealed and opened on the caller's thread by <see cref="DtlsRecordProtection"/>, so no thread
/// is held per transport and nothing waits for another thread. All members are thread-safe.
/// </summary>
public sealed class DtlsTransport : IDisposable
{
    /// <summary>
    /// Largest datagram accepted. WebRTC peers keep datagrams under the path MTU, and BouncyCastle
    /// allocates a buffer of this size for every record it reads during the handshake.
    /// </summary>
    public const int MaxIncomingDatagramLength = 4096;

    private const byte ChangeCipherSpecType = 20;
    private const byte AlertType = 21;
    private const byte HandshakeType = 22;
    private const byte ApplicationDataType = 23;
    private const byte FatalAlertLevel = 2;
    private const byte CloseNotify = 0;

    /// <summary>How long after connecting the server answers the client's retransmitted last flight with its own (BouncyCastle: 240 s).</summary>
    private static readonly TimeSpan FinalFlightRetransmissionWindow = TimeSpan.FromSeconds(240);

    private static readonly TimeSpan FinalFlightMinResendInterval = TimeSpan.FromMilliseconds(250);

    private readonly DtlsCertificate _certificate;
    private readonly DtlsTransportOptions _options;
    private readonly DtlsHandshakePool _handshakes;
    private readonly QueuedDatagramTransport _link;
    private readonly ConcurrentQueue<byte[]> _outgoing = new();
    private readonly ConcurrentQueue<DtlsState> _stateChanges = new();
    private readonly ConcurrentQueue<byte[]> _applicationData = new();
    private readonly Lock _gate = new();
    private readonly List<byte[]> _finalFlight = [];
    private readonly byte[] _receiveBuffer = new byte[MaxIncomingDatagramLength];
    private DtlsState _state = DtlsState.New;
    private DtlsRole? _localRole;
    private SrtpKeyingMaterial? _srtpKeys;
    private string? _failureReason;
    private DtlsRecordProtection? _records;
    private long _handshakeSequenceNumbersUsed;
    private long _connectedAt;
    private long _finalFlightSentAt;
    private long _discardedDatagramCount;
    private long _rejectedRecordCount;

    /// <param name="handshakes">Where the handshake runs; <see cref="DtlsHandshakePool.Shared"/> by default.</param>
    public DtlsTransport(DtlsCertificate certificate, DtlsTransportOptions? options = null, DtlsHandshakePool? handshakes = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificate = certificate;
        _options = options ?? new DtlsTransportOptions();
        _handshakes = handshakes ?? DtlsHandshakePool.Shared;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.HandshakeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.InitialRetransmissionTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.Mtu, DtlsRecordProtection.Overhead);
        _link = new QueuedDatagramTransport(MaxIncomingDatagramLength, _options.Mtu, QueueHandshakeDatagram);
    }

    /// <summary>
    /// Raised after something was queued for one of the TryDequeue methods, on the caller's thread or
    /// on a handshake thread. Handlers should only schedule the draining, must not block and must not
    /// throw: an exception on a handshake thread fails the handshake.
    /// </summary>
    public event Action? OutputQueued;

    public DtlsState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Client or server once started; null before.</summary>
    public DtlsRole? LocalRole
    {
        get
        {
            lock (_gate)
            {
                return _localRole;
            }
        }
    }

    /// <summary>
    /// The negotiated SRTP suite and master keys, set on reaching <see cref="DtlsState.Connected"/>:
    /// create the protecting SRTP context from the local half and the unprotecting one from the remote half.
    /// </summary>
    public SrtpKeyingMaterial? SrtpKeys
    {
        get
        {
            lock (_gate)
            {
                return _srtpKeys;
            }
        }
    }

    /// <summary>Why the transport went to <see cref="DtlsState.Failed"/>; null otherwise.</summary>
    public string? FailureReason
    {
        get
        {
            lock (_gate)
            {
                return _failureReason;
            }
        }
    }

    /// <summary>
    /// Datagrams dropped before reaching DTLS: not DTLS by their first byte (RFC 7983), not made of
    /// whole records, too long, arriving while the transport is not running or while too many already
    /// wait for the handshake. Well-framed records that do not decode during the handshake are
    /// discarded silently by the DTLS layer (RFC 6347 §4.1.2.7) and not counted.
    /// </summary>
    public long DiscardedDatagramCount => Interlocked.Read(ref _discardedDatagramCount);

    /// <summary>
    /// Encrypted records received once connected that did not authenticate (a bad MAC) or were
    /// replayed: dropped and counted, the connection unaffected (RFC 6347 §4.1.2.7).
    /// </summary>
    public long RejectedRecordCount => Interlocked.Read(ref _rejectedRecordCount);

    /// <summary>The largest application datagram <see cref="Send"/> takes: one record within the MTU.</summary>
    public int SendLimit => _options.Mtu - DtlsRecordProtection.Overhead;

    /// <summary>
    /// Starts the handshake in <paramref name="localRole"/>; the remote certificate must match
    /// <paramref name="remoteFingerprint"/>, the one connectWebRtcTransport signalled. Once only.
    /// </summary>
    public void Start(DtlsRole localRole, DtlsFingerprint remoteFingerprint)
    {
        if (localRole is not (DtlsRole.Client or DtlsRole.Server))
        {
            throw new ArgumentOutOfRangeException(nameof(localRole), localRole, "The local role must be client or server.");
        }

        ArgumentNullException.ThrowIfNull(remoteFingerprint);
        var policy = new WebRtcDtlsPolicy(_certificate, remoteFingerprint, localRole, _options);
        lock (_gate)
        {
            if (_state != DtlsState.New)
            {
                throw new InvalidOperationException($"The DTLS transport was already started; it is {_state.ToMediasoupName()}.");
            }

            _localRole = localRole;
            ChangeState(DtlsState.Connecting);
        }

        _handshakes.Run(() => Handshake(policy));
        RaiseOutputQueued();
    }

    /// <summary>
    /// Takes a datagram the demultiplexer classified as DTLS: queued for the handshake, or, once
    /// connected, decrypted here and now.
    /// </summary>
    public void HandleIncoming(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > MaxIncomingDatagramLength || !DtlsRecordFraming.IsWellFormed(datagram))
        {
            Interlocked.Increment(ref _discardedDatagramCount);
            return;
        }

        bool queued;
        lock (_gate)
        {
            if (_records is not null && _state == DtlsState.Connected)
            {
                datagram.CopyTo(_receiveBuffer);
                queued = OpenRecordsLocked(_receiveBuffer.AsSpan(0, datagram.Length));
            }
            else
            {
                queued = false;
                if (_state != DtlsState.Connecting || !_link.Deliver(datagram.ToArray()))
                {
                    Interlocked.Increment(ref _discardedDatagramCount);
                }
            }
        }

        if (queued)
        {
            RaiseOutputQueued();
        }
    }

    public bool TryDequeueOutgoing([NotNullWhen(true)] out byte[]? datagram) => _outgoing.TryDequeue(out datagram);

    public bool TryDequeueStateChange(out DtlsState state) => _stateChanges.TryDequeue(out state);

    public bool TryDequeueApplicationData([NotNullWhen(true)] out byte[]? data) => _applicationData.TryDequeue(out data);

    /// <summary>
    /// Encrypts application data (SCTP) into one datagram for <see cref="TryDequeueOutgoing"/>.
    /// Returns false, sending nothing, unless connected, as mediasoup does.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new ArgumentException("Application data must not be empty.", nameof(data));
        }

        if (data.Length > SendLimit)
        {
            throw new ArgumentException($"Application data must fit in {SendLimit} bytes.", nameof(data));
        }

        lock (_gate)
        {
            if (_records is null || _state != DtlsState.Connected)
            {
                return false;
            }

            SealLocked(ApplicationDataType, data);
        }

        RaiseOutputQueued();
        return true;
    }

    /// <summary>Ends the transport, sending close_notify when connected. Idempotent.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_state == DtlsState.Closed)
            {
                return;
            }

            if (_records is not null && _state == DtlsState.Connected)
            {
                SealLocked(AlertType, [1, CloseNotify]);
            }

            ChangeState(DtlsState.Closed);
            _records?.Dispose();
            _records = null;
        }

        _link.Close();
        RaiseOutputQueued();
    }

    /// <summary>Same as <see cref="Close"/>: no thread to wait for.</summary>
    public void Dispose() => Close();

    /// <summary>On a handshake thread: BouncyCastle's blocking handshake, then the hand-over to <see cref="DtlsRecordProtection"/>.</summary>
    private void Handshake(WebRtcDtlsPolicy policy)
    {
        if (State != DtlsState.Connecting)
        {
            return;
        }

        BcDtlsTransport connection;
        try
        {
            connection = policy.LocalRole == DtlsRole.Server
                ? new DtlsServerProtocol().Accept(new DtlsServerPeer(policy), _link)
                : new DtlsClientProtocol().Connect(new DtlsClientPeer(policy), _link);
        }
        catch (Exception exception)
        {
            Fail(exception.Message);
            return;
        }

        List<byte[]> bufferedApplicationData = ReceiveBufferedByTheHandshake(connection);
        lock (_gate)
        {
            if (_state != DtlsState.Connecting)
            {
                return;
            }

            _records = new DtlsRecordProtection(policy.RecordKeys!, _handshakeSequenceNumbersUsed);
            _srtpKeys = policy.SrtpKeys;
            _connectedAt = Environment.TickCount64;
            ChangeState(DtlsState.Connected);
            foreach (byte[] data in bufferedApplicationData)
            {
                _applicationData.Enqueue(data);
            }

            foreach (byte[] datagram in _link.CloseAndTakeQueued())
            {
                datagram.CopyTo(_receiveBuffer, 0);
                OpenRecordsLocked(_receiveBuffer.AsSpan(0, datagram.Length));
            }
        }

        RaiseOutputQueued();
    }

    /// <summary>Application data that came in the same datagram as the handshake's last message.</summary>
    private static List<byte[]> ReceiveBufferedByTheHandshake(BcDtlsTransport connection)
    {
        var received = new List<byte[]>();
        var buffer = new byte[connection.GetReceiveLimit()];
        try
        {
            int length;
            while ((length = connection.ReceivePending(buffer, 0, buffer.Length)) >= 0)
            {
                if (length > 0)
                {
                    received.Add(buffer[..length]);
                }
            }
        }
        catch (IOException)
        {
        }

        return received;
    }

    /// <summary>Opens the records of a datagram received once connected; true when something was queued.</summary>
    private bool OpenRecordsLocked(Span<byte> datagram)
    {
        bool queued = false;
        while (!datagram.IsEmpty && _records is not null)
        {
            Span<byte> record = datagram[..DtlsRecordFraming.LengthOf(datagram)];
            datagram = datagram[record.Length..];
            ushort epoch = DtlsRecordFraming.EpochOf(record);
            if (epoch != DtlsRecordProtection.Epoch)
            {
                // The client's last flight again (epoch 0 up to its ChangeCipherSpec): ours was lost.
                if (epoch == 0 && record[0] is HandshakeType or ChangeCipherSpecType)
                {
                    queued |= ResendFinalFlightLocked();
                }

                continue;
            }

            if (!_records.TryOpen(record, out byte contentType, out Range range))
            {
                Interlocked.Increment(ref _rejectedRecordCount);
                continue;
            }

            Span<byte> plaintext = record[range];
            switch (contentType)
            {
                case ApplicationDataType when !plaintext.IsEmpty:
                    _applicationData.Enqueue(plaintext.ToArray());
                    queued = true;
                    break;
                case AlertType when plaintext.Length >= 2 && (plaintext[0] == FatalAlertLevel || plaintext[1] == CloseNotify):
                    // Like mediasoup, any end of an established connection counts as 'closed'.
                    ChangeState(DtlsState.Closed);
                    _records.Dispose();
                    _records = null;
                    return true;
                case HandshakeType:
                    queued |= ResendFinalFlightLocked();
                    break;
            }
        }

        return queued;
    }

    /// <summary>
    /// The server's last flight (ChangeCipherSpec, Finished) is not acknowledged in DTLS 1.2: when
    /// the client sends its own again, ours was lost and goes again (RFC 6347 §4.2.4).
    /// </summary>
    private bool ResendFinalFlightLocked()
    {
        long now = Environment.TickCount64;
        if (_localRole != DtlsRole.Server
            || _finalFlight.Count == 0
            || now - _connectedAt > (long)FinalFlightRetransmissionWindow.TotalMilliseconds
            || now - _finalFlightSentAt < (long)FinalFlightMinResendInterval.TotalMilliseconds)
        {
            return false;
        }

        _finalFlightSentAt = now;
        foreach (byte[] datagram in _finalFlight)
        {
            _outgoing.Enqueue(datagram);
        }

        return true;
    }

    private void SealLocked(byte contentType, ReadOnlySpan<byte> plaintext)
    {
        var datagram = new byte[DtlsRecordProtection.SealedLength(plaintext.Length)];
        _records!.Seal(contentType, plaintext, datagram);
        _outgoing.Enqueue(datagram);
    }

    private void Fail(string failureReason)
    {
        lock (_gate)
        {
            if (_state != DtlsState.Connecting)
            {
                return;
            }

            _failureReason = failureReason;
            ChangeState(DtlsState.Failed);
        }

        _link.Close();
        RaiseOutputQueued();
    }

    private void ChangeState(DtlsState state)
    {
        _state = state;
        _stateChanges.Enqueue(state);
    }

    /// <summary>
    /// On the handshake thread: what BouncyCastle sends. Notes the epoch-1 sequence numbers it used,
    /// so that ours follow them (an AES-GCM nonce must never repeat), and keeps the last flight.
    /// </summary>
    private void QueueHandshakeDatagram(byte[] datagram)
    {
        bool startsLastFlight = false;
        bool inLastFlight = false;
        ReadOnlySpan<byte> rest = datagram;
        while (rest.Length >= DtlsRecordFraming.RecordHeaderLength)
        {
            startsLastFlight |= rest[0] == ChangeCipherSpecType;
            if (DtlsRecordFraming.EpochOf(rest) == DtlsRecordProtection.Epoch)
            {
                inLastFlight = true;
                _handshakeSequenceNumbersUsed = Math.Max(_handshakeSequenceNumbersUsed, DtlsRecordFraming.SequenceNumberOf(rest) + 1);
            }

            rest = rest[Math.Min(rest.Length, DtlsRecordFraming.LengthOf(rest))..];
        }

        if (startsLastFlight)
        {
            _finalFlight.Clear();
        }

        if (startsLastFlight || inLastFlight)
        {
            _finalFlight.Add(datagram);
        }

        _outgoing.Enqueue(datagram);
        RaiseOutputQueued();
    }

    private void RaiseOutputQueued() => OutputQueued?.Invoke();
}
