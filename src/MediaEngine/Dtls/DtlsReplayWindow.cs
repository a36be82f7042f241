namespace MediaEngine.Dtls;

/// <summary>
/// Anti-replay for one epoch's received records (RFC 6347 §4.1.2.6): a record is accepted once,
/// and records more than 64 behind the newest are too old to tell and refused.
/// </summary>
internal sealed class DtlsReplayWindow
{
    private const int Size = 64;

    private long _newest = -1;
    private ulong _seen;

    public bool MayAccept(long sequenceNumber)
    {
        if (sequenceNumber > _newest)
        {
            return true;
        }

        long behind = _newest - sequenceNumber;
        return behind < Size && (_seen & (1UL << (int)behind)) == 0;
    }

    /// <summary>Marks a record as received, once it authenticated.</summary>
    public void Accept(long sequenceNumber)
    {
        if (sequenceNumber > _newest)
        {
            long shift = sequenceNumber - _newest;
            _seen = shift >= Size ? 1UL : (_seen << (int)shift) | 1UL;
            _newest = sequenceNumber;
            return;
        }

        _seen |= 1UL << (int)(_newest - sequenceNumber);
    }
}
