using System.Net;

namespace MediaEngine.Ice;

/// <summary>
/// Sans-IO ICE-lite agent (RFC 8445 §2.5), always in the controlled role, behaving like
/// mediasoup's IceServer. It answers binding requests, learns the remote tuples that pass
/// connectivity checks, selects the tuple the controlling peer nominates with USE-CANDIDATE and
/// drops to 'disconnected' when no valid request arrives within the consent timeout (RFC 7675).
/// The caller supplies datagrams, the current monotonic time and response buffers, sends what
/// it is told to, calls <see cref="HandleTimeout"/> at <see cref="NextTimeout"/> and drains
/// <see cref="TryDequeueEvent"/> after every call. Not thread-safe.
/// </summary>
public sealed class IceLiteServer
{
    /// <summary>
    /// Largest response <see cref="HandleBinding"/> writes: header (20) + IPv6 XOR-MAPPED-ADDRESS
    /// (24) + MESSAGE-INTEGRITY (24) + FINGERPRINT (8).
    /// </summary>
    public const int MaxResponseLength = 76;

    private const int MaxTuples = 8;

    private readonly TimeSpan _consentTimeout;
    private readonly List<IPEndPoint> _tuplesNewestFirst = [];
    private readonly Queue<IceServerEvent> _events = new();
    private IceCredentials _credentials;
    private IceCredentials? _credentialsBeforeRestart;
    private TimeSpan _consentDeadline;

    /// <param name="consentTimeout">
    /// How long the server stays connected without a valid binding request; <see cref="TimeSpan.Zero"/> disables the check.
    /// </param>
    public IceLiteServer(string usernameFragment, string password, TimeSpan consentTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(consentTimeout, TimeSpan.Zero);
        _credentials = new IceCredentials(usernameFragment, password);
        _consentTimeout = consentTimeout;
    }

    public string UsernameFragment => _credentials.UsernameFragment;

    public string Password => _credentials.Password;

    public IceState State { get; private set; } = IceState.New;

    /// <summary>Where media goes; null unless <see cref="State"/> is Connected or Completed.</summary>
    public IPEndPoint? SelectedTuple { get; private set; }

    /// <summary>Remote tuples that passed a connectivity check, newest first.</summary>
    public IReadOnlyList<IPEndPoint> Tuples => _tuplesNewestFirst;

    /// <summary>When <see cref="HandleTimeout"/> must next be called, or null when no timer is running.</summary>
    public TimeSpan? NextTimeout => IsConsentTracked ? _consentDeadline : null;

    private bool IsConsentTracked =>
        _consentTimeout > TimeSpan.Zero && State is IceState.Connected or IceState.Completed;

    /// <summary>
    /// Processes a datagram already classified as STUN that arrived from <paramref name="remote"/>
    /// and writes any answer into <paramref name="response"/>, which must hold
    /// <see cref="MaxResponseLength"/> bytes. The server keeps <paramref name="remote"/> as the
    /// tuple's identity, so it must not be mutated afterwards.
    /// </summary>
    public IceBindingResult HandleBinding(ReadOnlySpan<byte> request, IPEndPoint remote, TimeSpan now, Span<byte> response)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (response.Length < MaxResponseLength)
        {
            throw new ArgumentException($"The response buffer must hold {MaxResponseLength} bytes.", nameof(response));
        }

        if (State == IceState.Closed)
        {
            return new IceBindingResult(IceBindingOutcome.Ignored, 0);
        }

        HandleTimeout(now);

        if (!StunMessageReader.TryParse(request, out StunMessageReader message)
            || message.Class != StunMessageClass.Request
            || (message.HasFingerprint && !message.VerifyFingerprint()))
        {
            return new IceBindingResult(IceBindingOutcome.Ignored, 0);
        }

        if (message.Method != StunMethod.Binding
            || !message.HasFingerprint
            || !message.TryGetPriority(out uint priority) || priority == 0
            || !message.HasMessageIntegrity
            || !message.TryGetUsername(out ReadOnlySpan<byte> username) || username.IsEmpty)
        {
            return Reject(message, IceBindingOutcome.BadRequest, StunErrorCode.BadRequest, response);
        }

        IceCredentials? credentials = Authenticate(message);
        if (credentials is null)
        {
            return Reject(message, IceBindingOutcome.Unauthorized, StunErrorCode.Unauthorized, response);
        }

        if (message.TryGetIceControlled(out _))
        {
            // mediasoup leaves this response unauthenticated; RFC 5389 §10.1.2 asks for
            // MESSAGE-INTEGRITY on any error response to an authenticated request other than 400/401.
            return Reject(message, IceBindingOutcome.RoleConflict, StunErrorCode.RoleConflict, response, credentials.IntegrityKey);
        }

        int length = StunMessageWriter.WriteBindingSuccessResponse(
            response, message.TransactionId, remote, credentials.IntegrityKey);
        AcceptTuple(remote, message.HasUseCandidate);
        if (IsConsentTracked)
        {
            _consentDeadline = now + _consentTimeout;
        }

        return new IceBindingResult(IceBindingOutcome.Accepted, length);
    }

    /// <summary>Expires consent when its deadline has passed; harmless to call at any time.</summary>
    public void HandleTimeout(TimeSpan now)
    {
        if (!IsConsentTracked || now < _consentDeadline)
        {
            return;
        }

        RemoveAllTuples();
        ChangeState(IceState.Disconnected);
    }

    public bool IsValidTuple(IPEndPoint remote) => _tuplesNewestFirst.Contains(remote);

    /// <summary>
    /// Forgets a tuple, e.g. when its TCP connection closed. Losing the selected tuple selects
    /// the newest remaining one, or moves to 'disconnected' when none is left.
    /// </summary>
    public void RemoveTuple(IPEndPoint remote, TimeSpan now)
    {
        int index = _tuplesNewestFirst.IndexOf(remote);
        if (index < 0)
        {
            return;
        }

        IPEndPoint removed = _tuplesNewestFirst[index];
        _tuplesNewestFirst.RemoveAt(index);
        Emit(IceServerEventKind.TupleRemoved, removed);
        if (!removed.Equals(SelectedTuple))
        {
            return;
        }

        SelectedTuple = null;
        if (_tuplesNewestFirst.Count == 0)
        {
            ChangeState(IceState.Disconnected);
            return;
        }

        SelectTuple(_tuplesNewestFirst[0]);
        // The peer may not have been refreshing consent on this tuple; give it a full period.
        _consentDeadline = now + _consentTimeout;
    }

    /// <summary>
    /// Switches to new local credentials. Requests using the previous ones keep being answered
    /// (with the previous password) until the first request using the new ones arrives, so media
    /// is not interrupted while the peer applies the new remote description.
    /// </summary>
    public void RestartIce(string usernameFragment, string password, TimeSpan now)
    {
        var credentials = new IceCredentials(usernameFragment, password);
        _credentialsBeforeRestart = _credentials;
        _credentials = credentials;
        _consentDeadline = now + _consentTimeout;
    }

    /// <summary>Forgets every tuple and ignores all further datagrams.</summary>
    public void Close()
    {
        if (State == IceState.Closed)
        {
            return;
        }

        RemoveAllTuples();
        ChangeState(IceState.Closed);
    }

    public bool TryDequeueEvent(out IceServerEvent serverEvent) => _events.TryDequeue(out serverEvent);

    private IceCredentials? Authenticate(StunMessageReader request)
    {
        if (_credentials.Authenticate(request))
        {
            _credentialsBeforeRestart = null;
            return _credentials;
        }

        if (_credentialsBeforeRestart is not null && _credentialsBeforeRestart.Authenticate(request))
        {
            return _credentialsBeforeRestart;
        }

        return null;
    }

    private static IceBindingResult Reject(
        StunMessageReader request,
        IceBindingOutcome outcome,
        StunErrorCode errorCode,
        Span<byte> response,
        ReadOnlySpan<byte> integrityKey = default)
    {
        int length = StunMessageWriter.WriteBindingErrorResponse(response, request.TransactionId, errorCode, integrityKey);
        return new IceBindingResult(outcome, length);
    }

    private void AcceptTuple(IPEndPoint remote, bool nominated)
    {
        IPEndPoint tuple = AddTuple(remote);
        switch (State)
        {
            case IceState.New or IceState.Disconnected:
                SelectTuple(tuple);
                ChangeState(nominated ? IceState.Completed : IceState.Connected);
                break;
            case IceState.Connected when nominated:
                SelectTuple(tuple);
                ChangeState(IceState.Completed);
                break;
            case IceState.Completed when nominated:
                SelectTuple(tuple);
                break;
        }
    }

    private IPEndPoint AddTuple(IPEndPoint remote)
    {
        int index = _tuplesNewestFirst.IndexOf(remote);
        if (index >= 0)
        {
            return _tuplesNewestFirst[index];
        }

        _tuplesNewestFirst.Insert(0, remote);
        Emit(IceServerEventKind.TupleAdded, remote);
        if (_tuplesNewestFirst.Count > MaxTuples)
        {
            EvictOldestUnselectedTuple();
        }

        return remote;
    }

    /// <summary>Bounds the state a peer can make us keep by probing from many addresses.</summary>
    private void EvictOldestUnselectedTuple()
    {
        for (int index = _tuplesNewestFirst.Count - 1; index > 0; index--)
        {
            IPEndPoint candidate = _tuplesNewestFirst[index];
            if (!candidate.Equals(SelectedTuple))
            {
                _tuplesNewestFirst.RemoveAt(index);
                Emit(IceServerEventKind.TupleRemoved, candidate);
                return;
            }
        }
    }

    private void RemoveAllTuples()
    {
        SelectedTuple = null;
        foreach (IPEndPoint tuple in _tuplesNewestFirst)
        {
            Emit(IceServerEventKind.TupleRemoved, tuple);
        }

        _tuplesNewestFirst.Clear();
    }

    private void SelectTuple(IPEndPoint tuple)
    {
        if (tuple.Equals(SelectedTuple))
        {
            return;
        }

        SelectedTuple = tuple;
        Emit(IceServerEventKind.SelectedTupleChanged, tuple);
    }

    private void ChangeState(IceState state)
    {
        if (State == state)
        {
            return;
        }

        State = state;
        Emit(IceServerEventKind.StateChanged, null);
    }

    private void Emit(IceServerEventKind kind, IPEndPoint? tuple) => _events.Enqueue(new IceServerEvent(kind, State, tuple));
}
