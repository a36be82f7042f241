namespace MediaEngine.Transports;

/// <summary>
/// Groups sent packets into bursts (send times within 5 ms, or arriving back to back) and gives,
/// for each completed group, how much later it arrived than it was sent relative to the group
/// before (draft-ietf-rmcat-gcc §5.2, libwebrtc's InterArrivalDelta). Times in microseconds:
/// send times on our clock, arrival times on the receiver's. No allocation. Not thread-safe.
/// </summary>
internal sealed class InterArrivalDelta
{
    private const long GroupLength = 5_000;
    private const long BurstArrivalSpan = 5_000;
    private const long MaxBurstDuration = 100_000;

    /// <summary>An arrival clock jump past this (receiver restarted, feedback gap) starts over.</summary>
    private const long ArrivalJumpLimit = 3_000_000;

    private bool _hasGroup;
    private long _firstSend;
    private long _lastSend;
    private long _firstArrival;
    private long _lastArrival;
    private bool _hasPrevious;
    private long _previousLastSend;
    private long _previousLastArrival;

    /// <summary>
    /// A packet the feedback reported received. True when it opened a new group and the two
    /// groups before it give deltas (milliseconds).
    /// </summary>
    public bool TryAdd(long sendMicroseconds, long arrivalMicroseconds, out double sendDeltaMs, out double arrivalDeltaMs)
    {
        sendDeltaMs = 0;
        arrivalDeltaMs = 0;
        if (!_hasGroup)
        {
            StartGroup(sendMicroseconds, arrivalMicroseconds);
            return false;
        }
        if (sendMicroseconds < _firstSend)
            return false; // reordered: belongs to a group already closed
        if (sendMicroseconds - _firstSend <= GroupLength || IsBurst(sendMicroseconds, arrivalMicroseconds))
        {
            _lastSend = Math.Max(_lastSend, sendMicroseconds);
            _lastArrival = Math.Max(_lastArrival, arrivalMicroseconds);
            return false;
        }

        var computed = false;
        if (_hasPrevious)
        {
            var arrivalDelta = _lastArrival - _previousLastArrival;
            if (arrivalDelta > ArrivalJumpLimit || arrivalDelta < -ArrivalJumpLimit)
            {
                _hasPrevious = false;
                StartGroup(sendMicroseconds, arrivalMicroseconds);
                return false;
            }
            sendDeltaMs = (_lastSend - _previousLastSend) / 1000.0;
            arrivalDeltaMs = arrivalDelta / 1000.0;
            computed = true;
        }
        _hasPrevious = true;
        _previousLastSend = _lastSend;
        _previousLastArrival = _lastArrival;
        StartGroup(sendMicroseconds, arrivalMicroseconds);
        return computed;
    }

    /// <summary>Packets that arrive back to back while sent further apart were queued together: one burst.</summary>
    private bool IsBurst(long send, long arrival)
    {
        var arrivalDelta = arrival - _lastArrival;
        var sendDelta = send - _lastSend;
        if (sendDelta == 0)
            return true;
        return arrivalDelta - sendDelta < 0 && arrivalDelta <= BurstArrivalSpan && arrival - _firstArrival < MaxBurstDuration;
    }

    private void StartGroup(long send, long arrival)
    {
        _hasGroup = true;
        _firstSend = _lastSend = send;
        _firstArrival = _lastArrival = arrival;
    }
}
