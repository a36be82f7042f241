using System.Net;

namespace MediaEngine.Ice;

/// <summary>
/// Sans-IO ICE-lite agent (RFC 8445 §2.5), always in the controlled role, behaving like
/// mediasoup's IceServer. It answers binding requests, learns the remote tuples that pass
/// connectivity checks, selects the tuple the controlling peer nominates with USE-CANDIDATE and
/// drops to 'disconnected' when no valid request arrives within the consent timeout (RFC 7675).
/// Unlike mediasoup, which follows every USE-CANDIDATE, a nomination only takes the selection
/// from a tuple the peer is still nominating when its candidate pair priority (RFC 8445
/// §6.1.2.3) is at least as high, so a peer that nominates every pair it checks (Firefox's
/// aggressive nomination) ends on its best pair, not on the last one checked.
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

    /// <summary>
    /// How long the selected tuple's latest nominating request keeps a lower-priority nomination
    /// from taking the selection. Longer than the gap between a browser's checks of its selected
    /// pair while it still uses it (libwebrtc pings it at least every 2.5 s), shorter than the
    /// consent timeout, so a peer that moved to a worse path is followed within seconds.
    /// </summary>
    public static readonly TimeSpan NominationHoldTime = TimeSpan.FromSeconds(3);

    private readonly TimeSpan _consentTimeout;
    private readonly List<RemoteTuple> _tuplesNewestFirst = [];
    private readonly Queue<IceServerEvent> _events = new();
    private IceCredentials _credentials;
    private IceCredentials? _credentialsBeforeRestart;
    private TimeSpan _consentDeadline;
    private RemoteTuple? _selected;

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
    public IPEndPoint? SelectedTuple => _selected?.Endpoint;

    /// <summary>Remote tuples that passed a connectivity check, newest first.</summary>
    public IReadOnlyList<IPEndPoint> Tuples => _tuplesNewestFirst.ConvertAll(tuple => tuple.Endpoint);

    /// <summary>When <see cref="HandleTimeout"/> must next be called, or null when no timer is running.</summary>
    public TimeSpan? NextTimeout => IsConsentTracked ? _consentDeadline : null;

    private bool IsConsentTracked =>
        _consentTimeout > TimeSpan.Zero && State is IceState.Connected or IceState.Completed;

    /// <summary>
    /// Processes a datagram already classified as STUN that arrived from <paramref name="remote"/>
    /// on the local candidate whose priority is <paramref name="localPriority"/>, and writes any
    /// answer into <paramref name="response"/>, which must hold <see cref="MaxResponseLength"/>
    /// bytes. The server keeps <paramref name="remote"/> as the tuple's identity, so it must not
    /// be mutated afterwards.
    /// </summary>
    public IceBindingResult HandleBinding(
        ReadOnlySpan<byte> request, IPEndPoint remote, uint localPriority, TimeSpan now, Span<byte> response)
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
        AcceptTuple(remote, CandidatePairPriority(priority, localPriority), message.HasUseCandidate, now);
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

    public bool IsValidTuple(IPEndPoint remote) => Find(remote) >= 0;

    /// <summary>
    /// Forgets a tuple, e.g. when its TCP connection closed. Losing the selected tuple selects
    /// the newest remaining one, or moves to 'disconnected' when none is left.
    /// </summary>
    public void RemoveTuple(IPEndPoint remote, TimeSpan now)
    {
        int index = Find(remote);
        if (index < 0)
        {
            return;
        }

        RemoteTuple removed = _tuplesNewestFirst[index];
        _tuplesNewestFirst.RemoveAt(index);
        Emit(IceServerEventKind.TupleRemoved, removed.Endpoint);
        if (removed != _selected)
        {
            return;
        }

        _selected = null;
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

    /// <summary>RFC 8445 §6.1.2.3 with the peer controlling: G is its PRIORITY, D our candidate's.</summary>
    private static ulong CandidatePairPriority(uint controlling, uint controlled) =>
        ((ulong)Math.Min(controlling, controlled) << 32)
        + 2 * (ulong)Math.Max(controlling, controlled)
        + (controlling > controlled ? 1ul : 0ul);

    private void AcceptTuple(IPEndPoint remote, ulong pairPriority, bool nominated, TimeSpan now)
    {
        RemoteTuple tuple = AddTuple(remote);
        tuple.PairPriority = pairPriority;
        tuple.LastRequestAt = now;
        tuple.LastRequestNominated = nominated;
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
            case IceState.Completed when nominated && !SelectionHeldAgainst(tuple, now):
                SelectTuple(tuple);
                break;
        }
    }

    /// <summary>
    /// Whether the selected tuple keeps the selection against a nomination of <paramref name="nominee"/>:
    /// only while the peer is still nominating it (its latest request, recent) and it is the better pair.
    /// A peer that switched paths stops checking, or stops nominating, the old one; then the
    /// nomination wins, as it always does for an equal or higher priority (e.g. a NAT rebinding).
    /// </summary>
    private bool SelectionHeldAgainst(RemoteTuple nominee, TimeSpan now) =>
        _selected is { } selected
        && selected != nominee
        && selected.LastRequestNominated
        && now - selected.LastRequestAt <= NominationHoldTime
        && selected.PairPriority > nominee.PairPriority;

    private int Find(IPEndPoint remote)
    {
        for (int index = 0; index < _tuplesNewestFirst.Count; index++)
        {
            if (_tuplesNewestFirst[index].Endpoint.Equals(remote))
            {
                return index;
            }
        }

        return -1;
    }

    private RemoteTuple AddTuple(IPEndPoint remote)
    {
        int index = Find(remote);
        if (index >= 0)
        {
            return _tuplesNewestFirst[index];
        }

        var tuple = new RemoteTuple(remote);
        _tuplesNewestFirst.Insert(0, tuple);
        Emit(IceServerEventKind.TupleAdded, remote);
        if (_tuplesNewestFirst.Count > MaxTuples)
        {
            EvictOldestUnselectedTuple();
        }

        return tuple;
    }

    /// <summary>Bounds the state a peer can make us keep by probing from many addresses.</summary>
    private void EvictOldestUnselectedTuple()
    {
        for (int index = _tuplesNewestFirst.Count - 1; index > 0; index--)
        {
            RemoteTuple candidate = _tuplesNewestFirst[index];
            if (candidate != _selected)
            {
                _tuplesNewestFirst.RemoveAt(index);
                Emit(IceServerEventKind.TupleRemoved, candidate.Endpoint);
                return;
            }
        }
    }

    private void RemoveAllTuples()
    {
        _selected = null;
        foreach (RemoteTuple tuple in _tuplesNewestFirst)
        {
            Emit(IceServerEventKind.TupleRemoved, tuple.Endpoint);
        }

        _tuplesNewestFirst.Clear();
    }

    private void SelectTuple(RemoteTuple tuple)
    {
        if (tuple == _selected)
        {
            return;
        }

        _selected = tuple;
        Emit(IceServerEventKind.SelectedTupleChanged, tuple.Endpoint);
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

    /// <summary>A remote tuple that passed a check, with what its latest valid request said.</summary>
    private sealed class RemoteTuple(IPEndPoint endpoint)
    {
        public IPEndPoint Endpoint { get; } = endpoint;

        public ulong PairPriority { get; set; }

        public TimeSpan LastRequestAt { get; set; }

        public bool LastRequestNominated { get; set; }
    }
}
