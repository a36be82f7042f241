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
/// BouncyCastle's DTLS is blocking, so a dedicated thread per started transport runs the handshake
/// and then decrypts incoming records until the transport ends; <see cref="Dispose"/> stops it.
/// All members are thread-safe.
/// </summary>
public sealed class DtlsTransport : IDisposable
{
    /// <summary>
    /// Largest datagram accepted. WebRTC peers keep datagrams under the path MTU, and BouncyCastle
    /// allocates a buffer of this size for every record it reads.
    /// </summary>
    public const int MaxIncomingDatagramLength = 4096;

    private static readonly TimeSpan WorkerStopTimeout = TimeSpan.FromSeconds(5);

    private readonly DtlsCertificate _certificate;
    private readonly DtlsTransportOptions _options;
    private readonly QueuedDatagramTransport _link;
    private readonly ConcurrentQueue<byte[]> _outgoing = new();
    private readonly ConcurrentQueue<DtlsState> _stateChanges = new();
    private readonly ConcurrentQueue<byte[]> _applicationData = new();
    private readonly Lock _gate = new();
    private DtlsState _state = DtlsState.New;
    private DtlsRole? _localRole;
    private SrtpKeyingMaterial? _srtpKeys;
    private string? _failureReason;
    private BcDtlsTransport? _connection;
    private Thread? _worker;
    private long _discardedDatagramCount;

    public DtlsTransport(DtlsCertificate certificate, DtlsTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificate = certificate;
        _options = options ?? new DtlsTransportOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.HandshakeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.InitialRetransmissionTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Mtu);
        _link = new QueuedDatagramTransport(MaxIncomingDatagramLength, _options.Mtu, QueueOutgoing);
    }

    /// <summary>
    /// Raised after something was queued for one of the TryDequeue methods, often on the DTLS
    /// thread. Handlers should only schedule the draining, must not block and must not throw: an
    /// exception on the DTLS thread ends the transport.
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
    /// wait for the DTLS thread. Well-framed records that do not decode are discarded silently by the
    /// DTLS layer (RFC 6347 §4.1.2.7) and not counted.
    /// </summary>
    public long DiscardedDatagramCount => Interlocked.Read(ref _discardedDatagramCount);

    internal bool IsWorkerAlive
    {
        get
        {
            lock (_gate)
            {
                return _worker?.IsAlive ?? false;
            }
        }
    }

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
            _worker = new Thread(() => Run(policy)) { IsBackground = true, Name = $"DTLS {localRole.ToMediasoupName()}" };
            _worker.Start();
        }

        RaiseOutputQueued();
    }

    /// <summary>Takes a datagram the demultiplexer classified as DTLS; copies it.</summary>
    public void HandleIncoming(ReadOnlySpan<byte> datagram)
    {
        bool accepted = datagram.Length <= MaxIncomingDatagramLength
            && DtlsRecordFraming.IsWellFormed(datagram)
            && IsRunning()
            && _link.Deliver(datagram.ToArray());
        if (!accepted)
        {
            Interlocked.Increment(ref _discardedDatagramCount);
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

        BcDtlsTransport? connection;
        lock (_gate)
        {
            connection = _state == DtlsState.Connected ? _connection : null;
        }

        if (connection is null)
        {
            return false;
        }

        if (data.Length > connection.GetSendLimit())
        {
            throw new ArgumentException($"Application data must fit in {connection.GetSendLimit()} bytes.", nameof(data));
        }

        try
        {
            connection.Send(data);
        }
        catch (IOException)
        {
            return false;
        }

        RaiseOutputQueued();
        return true;
    }

    /// <summary>Ends the transport, sending close_notify when connected. Idempotent.</summary>
    public void Close()
    {
        BcDtlsTransport? connection;
        lock (_gate)
        {
            if (_state == DtlsState.Closed)
            {
                return;
            }

            connection = _connection;
            ChangeState(DtlsState.Closed);
        }

        if (connection is null)
        {
            _link.Close();
        }
        else
        {
            connection.Close();
        }

        RaiseOutputQueued();
    }

    /// <summary>Closes the transport and waits for its DTLS thread to end.</summary>
    public void Dispose()
    {
        Close();
        Thread? worker;
        lock (_gate)
        {
            worker = _worker;
        }

        if (worker is not null && worker != Thread.CurrentThread)
        {
            worker.Join(WorkerStopTimeout);
        }
    }

    private void Run(WebRtcDtlsPolicy policy)
    {
        BcDtlsTransport connection;
        try
        {
            connection = policy.LocalRole == DtlsRole.Server
                ? new DtlsServerProtocol().Accept(new DtlsServerPeer(policy), _link)
                : new DtlsClientProtocol().Connect(new DtlsClientPeer(policy), _link);
        }
        catch (Exception exception)
        {
            End(DtlsState.Failed, exception.Message);
            return;
        }

        bool closedDuringHandshake;
        lock (_gate)
        {
            closedDuringHandshake = _state != DtlsState.Connecting;
            if (!closedDuringHandshake)
            {
                _connection = connection;
                _srtpKeys = policy.SrtpKeys;
                ChangeState(DtlsState.Connected);
            }
        }

        if (closedDuringHandshake)
        {
            connection.Close();
            return;
        }

        RaiseOutputQueued();
        ReceiveApplicationData(connection);
    }

    /// <summary>
    /// Runs until the connection ends: close_notify or a fatal alert from the remote end, or
    /// <see cref="Close"/>. Like mediasoup, any end of an established connection counts as 'closed'.
    /// </summary>
    private void ReceiveApplicationData(BcDtlsTransport connection)
    {
        var buffer = new byte[connection.GetReceiveLimit()];
        try
        {
            while (true)
            {
                // Zero waits forever; closing the link is what wakes this thread.
                int length = connection.Receive(buffer, 0, buffer.Length, 0);
                if (length > 0)
                {
                    _applicationData.Enqueue(buffer[..length]);
                    RaiseOutputQueued();
                }
            }
        }
        catch (Exception)
        {
            End(DtlsState.Closed, null);
        }
    }

    private void End(DtlsState finalState, string? failureReason)
    {
        lock (_gate)
        {
            if (!IsRunningLocked())
            {
                return;
            }

            _failureReason = failureReason;
            ChangeState(finalState);
        }

        _link.Close();
        RaiseOutputQueued();
    }

    private bool IsRunning()
    {
        lock (_gate)
        {
            return IsRunningLocked();
        }
    }

    private bool IsRunningLocked() => _state is DtlsState.Connecting or DtlsState.Connected;

    private void ChangeState(DtlsState state)
    {
        _state = state;
        _stateChanges.Enqueue(state);
    }

    private void QueueOutgoing(byte[] datagram)
    {
        _outgoing.Enqueue(datagram);
        RaiseOutputQueued();
    }

    private void RaiseOutputQueued() => OutputQueued?.Invoke();
}
