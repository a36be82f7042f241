using System.Net;

namespace MediaEngine.Ice;

/// <summary>
/// Sans-IO ICE-lite agent (RFC 8445 §2.5), always in the controlled role, behaving like
/// mediasoup's IceServer. It answers binding requests, learns the remote tuples that pass
/// connectivity checks, selects the tuple the controlling peer nominates with USE-CANDIDATE and
/// drops to 'disconnected' when no valid request arrives within the consent timeout (RFC 7675).
/// Unlike mediasoup, which follows the latest USE-CANDIDATE, it selects as RFC 8445 §8.1.1 asks
/// when a peer nominates several pairs (Firefox nominates every pair that succeeds when the other
/// side is lite): the live nominated pair of highest priority, the newest nomination among equals.
/// A nominated pair stays live while its checks keep coming (<see cref="NominationLiveness"/>),
/// so a peer whose better path died moves the selection with its next check on another one.
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
    /// How long a nominated pair keeps its claim without a check: above the 4–6 s between consent
    /// checks (RFC 7675 §5.1) that browsers send on the pair they selected.
    /// </summary>
    public static readonly TimeSpan NominationLiveness = TimeSpan.FromSeconds(8);

    private readonly TimeSpan _consentTimeout;
    private readonly List<RemoteTuple> _tuplesNewestFirst = [];
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
    public IReadOnlyList<IPEndPoint> Tuples => _tuplesNewestFirst.ConvertAll(tuple => tuple.EndPoint);

    /// <summary>When <see cref="HandleTimeout"/> must next be called, or null when no timer is running.</summary>
    public TimeSpan? NextTimeout => IsConsentTracked ? _consentDeadline : null;

    private bool IsConsentTracked =>
        _consentTimeout > TimeSpan.Zero && State is IceState.Connected or IceState.Completed;

    /// <summary>
    /// Processes a datagram already classified as STUN that arrived from <paramref name="remote"/>
    /// on our candidate of priority <paramref name="localPriority"/> and writes any answer into
    /// <paramref name="response"/>, which must hold <see cref="MaxResponseLength"/> bytes. The
    /// server keeps <paramref name="remote"/> as the tuple's identity, so it must not be mutated afterwards.
    /// </summary>
    public IceBindingResult HandleBinding(ReadOnlySpan<byte> request, IPEndPoint remote, uint localPriority, TimeSpan now, Span<byte> response)
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
        AcceptTuple(remote, message.HasUseCandidate ? PairPriority(priority, localPriority) : 0, now);
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

    public bool IsValidTuple(IPEndPoint remote) => IndexOf(remote) >= 0;

    /// <summary>RFC 8445 §6.1.2.3: G is the controlling peer's candidate priority (the request's PRIORITY), D ours.</summary>
    public static ulong PairPriority(uint controlling, uint controlled) =>
        (1UL << 32) * Math.Min(controlling, controlled) + 2UL * Math.Max(controlling, controlled) + (controlling > controlled ? 1UL : 0UL);

    /// <summary>
    /// Forgets a tuple, e.g. when its TCP connection closed. Losing the selected tuple selects
    /// the newest remaining one, or moves to 'disconnected' when none is left.
    /// </summary>
    public void RemoveTuple(IPEndPoint remote, TimeSpan now)
    {
        int index = IndexOf(remote);
        if (index < 0)
        {
            return;
        }

        IPEndPoint removed = _tuplesNewestFirst[index].EndPoint;
        RemoveTupleAt(index);
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

        SelectTuple((BestNominated(now) ?? _tuplesNewestFirst[0]).EndPoint);
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

    /// <param name="nominatedPairPriority">The pair's priority when the request carried USE-CANDIDATE, else 0.</param>
    private void AcceptTuple(IPEndPoint remote, ulong nominatedPairPriority, TimeSpan now)
    {
        RemoteTuple tuple = AddTuple(remote);
        tuple.LastRequestAt = now;
        bool nominated = nominatedPairPriority != 0;
        if (nominated)
        {
            tuple.NominatedPairPriority = nominatedPairPriority;
            tuple.NominatedAt = now;
        }

        switch (State)
        {
            case IceState.New or IceState.Disconnected:
                SelectTuple(tuple.EndPoint);
                ChangeState(nominated ? IceState.Completed : IceState.Connected);
                break;
            case IceState.Connected when nominated:
                SelectTuple(tuple.EndPoint);
                ChangeState(IceState.Completed);
                break;
            case IceState.Completed when tuple.NominatedPairPriority != 0:
                SelectTuple(BestNominated(now)!.EndPoint);
                break;
        }
    }

    /// <summary>The live nominated tuple of highest pair priority, the newest nomination among equals.</summary>
    private RemoteTuple? BestNominated(TimeSpan now)
    {
        RemoteTuple? best = null;
        foreach (RemoteTuple tuple in _tuplesNewestFirst)
        {
            if (tuple.NominatedPairPriority == 0 || now - tuple.LastRequestAt > NominationLiveness)
            {
                continue;
            }

            if (best is null
                || tuple.NominatedPairPriority > best.NominatedPairPriority
                || (tuple.NominatedPairPriority == best.NominatedPairPriority && tuple.NominatedAt > best.NominatedAt))
            {
                best = tuple;
            }
        }

        return best;
    }

    private int IndexOf(IPEndPoint remote)
    {
        for (int index = 0; index < _tuplesNewestFirst.Count; index++)
        {
            if (_tuplesNewestFirst[index].EndPoint.Equals(remote))
            {
                return index;
            }
        }

        return -1;
    }

    private RemoteTuple AddTuple(IPEndPoint remote)
    {
        int index = IndexOf(remote);
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
            if (!_tuplesNewestFirst[index].EndPoint.Equals(SelectedTuple))
            {
                RemoveTupleAt(index);
                return;
            }
        }
    }

    private void RemoveTupleAt(int index)
    {
        IPEndPoint removed = _tuplesNewestFirst[index].EndPoint;
        _tuplesNewestFirst.RemoveAt(index);
        Emit(IceServerEventKind.TupleRemoved, removed);
    }

    private void RemoveAllTuples()
    {
        SelectedTuple = null;
        foreach (RemoteTuple tuple in _tuplesNewestFirst)
        {
            Emit(IceServerEventKind.TupleRemoved, tuple.EndPoint);
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

    /// <summary>A remote address that passed a check: when it was last heard from, and its nomination.</summary>
    private sealed class RemoteTuple(IPEndPoint endPoint)
    {
        public IPEndPoint EndPoint { get; } = endPoint;

        public TimeSpan LastRequestAt { get; set; }

        /// <summary>0 until a request from it carries USE-CANDIDATE.</summary>
        public ulong NominatedPairPriority { get; set; }

        public TimeSpan NominatedAt { get; set; }
    }
}
