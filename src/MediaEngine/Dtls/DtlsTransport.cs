using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Tls;
using BcDtlsTransport = Org.BouncyCastle.Tls.DtlsTransport;

namespace MediaEngine.Dtls;

/// <summary>
/// DTLS 1.2 endpoint of a WebRTC transport, behaving like mediasoup's DtlsTransport, without any
/// socket. The caller feeds received DTLS datagrams to <see cref="HandleIncoming"/>, then drains
/// <see cref="TryDequeueOutgoing"/> (datagrams to send to the remote end) and
/// <see cref="TryDequeueStateChange"/>. BouncyCastle's handshake is blocking, so it runs on a
/// thread of its own, which raises <see cref="OutputQueued"/> and ends with the handshake. Once
/// connected, records are decrypted by the thread calling <see cref="HandleIncoming"/>, which gets
/// the application data through <see cref="ApplicationDataReceived"/> before the call returns.
/// All members are thread-safe; calls after the handshake are serialized by a lock.
/// </summary>
public sealed class DtlsTransport : IDisposable
{
    /// <summary>
    /// Largest datagram accepted. WebRTC peers keep datagrams under the path MTU, and BouncyCastle
    /// allocates a buffer of this size for every record it reads during the handshake.
    /// </summary>
    public const int MaxIncomingDatagramLength = 4096;

    private static readonly TimeSpan HandshakeThreadStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>BouncyCastle takes zero as "wait forever"; the link never waits once connected anyway.</summary>
    private const int NoWaitMillis = 1;

    private readonly DtlsCertificate _certificate;
    private readonly DtlsTransportOptions _options;
    private readonly QueuedDatagramTransport _link;
    private readonly ConcurrentQueue<byte[]> _outgoing = new();
    private readonly ConcurrentQueue<DtlsState> _stateChanges = new();
    private readonly Lock _gate = new();
    private DtlsState _state = DtlsState.New;
    private DtlsRole? _localRole;
    private SrtpKeyingMaterial? _srtpKeys;
    private string? _failureReason;
    private BcDtlsTransport? _connection;
    private byte[] _plaintext = [];
    private Thread? _handshakeThread;
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
    /// Raised on the handshake thread after it queued something for the TryDequeue methods. What
    /// <see cref="Start"/>, <see cref="HandleIncoming"/>, <see cref="HandleQueuedIncoming"/>,
    /// <see cref="Send"/> and <see cref="Close"/> queue is there when they return, without this event.
    /// Handlers should only schedule the draining, and must not block or throw.
    /// </summary>
    public event Action? OutputQueued;

    /// <summary>
    /// Application data decrypted once connected, raised synchronously on the thread calling
    /// <see cref="HandleIncoming"/> or <see cref="HandleQueuedIncoming"/>, under the transport's lock.
    /// </summary>
    public event DtlsApplicationDataHandler? ApplicationDataReceived;

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
    /// wait for the handshake thread. Well-framed records that do not decode are discarded silently by
    /// the DTLS layer (RFC 6347 §4.1.2.7) and not counted.
    /// </summary>
    public long DiscardedDatagramCount => Interlocked.Read(ref _discardedDatagramCount);

    internal bool IsHandshakeThreadAlive
    {
        get
        {
            lock (_gate)
            {
                return _handshakeThread?.IsAlive ?? false;
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
            _handshakeThread = new Thread(() => Handshake(policy)) { IsBackground = true, Name = $"DTLS {localRole.ToMediasoupName()}" };
            _handshakeThread.Start();
        }
    }

    /// <summary>
    /// Takes a datagram the demultiplexer classified as DTLS. During the handshake it is copied for
    /// the handshake thread; once connected it is decrypted now, on this thread: application data
    /// goes to <see cref="ApplicationDataReceived"/>, and answers (a retransmitted last flight, a
    /// close_notify in return) to <see cref="TryDequeueOutgoing"/>.
    /// </summary>
    public void HandleIncoming(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > MaxIncomingDatagramLength || !DtlsRecordFraming.IsWellFormed(datagram))
        {
            Interlocked.Increment(ref _discardedDatagramCount);
            return;
        }

        lock (_gate)
        {
            bool accepted = _state switch
            {
                DtlsState.Connecting => _link.Deliver(datagram.ToArray()),
                DtlsState.Connected => _link.DeliverNow(datagram),
                _ => false,
            };
            if (!accepted)
            {
                Interlocked.Increment(ref _discardedDatagramCount);
                return;
            }

            if (_state == DtlsState.Connected)
            {
                ReceiveQueued(_connection!);
            }
        }
    }

    /// <summary>
    /// Decrypts the datagrams that reached <see cref="HandleIncoming"/> while the handshake thread was
    /// finishing. Call it on the thread that calls HandleIncoming once <see cref="DtlsState.Connected"/>
    /// is dequeued; HandleIncoming does the same before its own datagram.
    /// </summary>
    public void HandleQueuedIncoming()
    {
        lock (_gate)
        {
            if (_state == DtlsState.Connected)
            {
                ReceiveQueued(_connection!);
            }
        }
    }

    public bool TryDequeueOutgoing([NotNullWhen(true)] out byte[]? datagram) => _outgoing.TryDequeue(out datagram);

    public bool TryDequeueStateChange(out DtlsState state) => _stateChanges.TryDequeue(out state);

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

        lock (_gate)
        {
            if (_state != DtlsState.Connected)
            {
                return false;
            }

            BcDtlsTransport connection = _connection!;
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
                End(DtlsState.Closed, null);
                return false;
            }

            return true;
        }
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

            ChangeState(DtlsState.Closed);
            if (_connection is null)
            {
                _link.Close();
            }
            else
            {
                _connection.Close();
            }
        }
    }

    /// <summary>Closes the transport and waits for its handshake thread, if still running, to end.</summary>
    public void Dispose()
    {
        Close();
        Thread? handshakeThread;
        lock (_gate)
        {
            handshakeThread = _handshakeThread;
        }

        if (handshakeThread is not null && handshakeThread != Thread.CurrentThread)
        {
            handshakeThread.Join(HandshakeThreadStopTimeout);
        }
    }

    /// <summary>The handshake thread: runs BouncyCastle's blocking handshake, then hands the connection over and ends.</summary>
    private void Handshake(WebRtcDtlsPolicy policy)
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
            lock (_gate)
            {
                End(DtlsState.Failed, exception.Message);
            }

            RaiseOutputQueued();
            return;
        }

        lock (_gate)
        {
            if (_state != DtlsState.Connecting)
            {
                connection.Close();
                return;
            }

            _link.StopBlocking();
            _connection = connection;
            _plaintext = new byte[MaxIncomingDatagramLength];
            _srtpKeys = policy.SrtpKeys;
            ChangeState(DtlsState.Connected);
        }

        RaiseOutputQueued();
    }

    /// <summary>
    /// Under the lock, connected: decrypts what the link holds and whatever BouncyCastle kept from an
    /// earlier datagram of several records. Like mediasoup, any end of an established connection
    /// (close_notify or a fatal alert from the remote end, a failure here) counts as 'closed'.
    /// </summary>
    private void ReceiveQueued(BcDtlsTransport connection)
    {
        ReceivePending(connection);
        while (_state == DtlsState.Connected && _link.HasQueued)
        {
            int length;
            try
            {
                length = connection.Receive(_plaintext, NoWaitMillis);
            }
            catch (IOException)
            {
                break;
            }

            if (length >= 0)
            {
                ApplicationDataReceived?.Invoke(_plaintext.AsSpan(0, length));
                ReceivePending(connection);
            }
        }

        if (_link.IsClosed)
        {
            End(DtlsState.Closed, null);
        }
    }

    /// <summary>
    /// The other records of a datagram whose first application record was returned; not after a
    /// handler closed the transport.
    /// </summary>
    private void ReceivePending(BcDtlsTransport connection)
    {
        while (_state == DtlsState.Connected)
        {
            int length;
            try
            {
                length = connection.ReceivePending(_plaintext);
            }
            catch (IOException)
            {
                return;
            }

            if (length < 0)
            {
                return;
            }

            ApplicationDataReceived?.Invoke(_plaintext.AsSpan(0, length));
        }
    }

    /// <summary>Under the lock.</summary>
    private void End(DtlsState finalState, string? failureReason)
    {
        if (_state is not (DtlsState.Connecting or DtlsState.Connected))
        {
            return;
        }

        _failureReason = failureReason;
        ChangeState(finalState);
        _link.Close();
    }

    private void ChangeState(DtlsState state)
    {
        _state = state;
        _stateChanges.Enqueue(state);
    }

    private void QueueOutgoing(byte[] datagram)
    {
        _outgoing.Enqueue(datagram);
        if (Thread.CurrentThread == _handshakeThread)
        {
            RaiseOutputQueued();
        }
    }

    private void RaiseOutputQueued() => OutputQueued?.Invoke();
}
