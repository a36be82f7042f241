namespace MediaEngine.Sctp;

/// <summary>RTO computation of RFC 9260 §6.3.1 (RFC 6298): SRTT, RTTVAR, clamping and back-off.</summary>
internal sealed class SctpRetransmissionTimeout(TimeSpan initial, TimeSpan min, TimeSpan max)
{
    private TimeSpan? _smoothedRtt;
    private TimeSpan _rttVariation;

    public TimeSpan Value { get; private set; } = initial;

    public void Measure(TimeSpan rtt)
    {
        if (rtt < TimeSpan.Zero)
        {
            return;
        }

        if (_smoothedRtt is not { } srtt)
        {
            _smoothedRtt = rtt;
            _rttVariation = rtt / 2;
        }
        else
        {
            _rttVariation = (_rttVariation * 3 / 4) + (Abs(srtt - rtt) / 4);
            _smoothedRtt = (srtt * 7 / 8) + (rtt / 8);
        }

        Value = Clamp(_smoothedRtt.Value + (4 * _rttVariation));
    }

    /// <summary>Doubles the RTO after a retransmission timeout (RFC 9260 §6.3.3 E2).</summary>
    public void BackOff() => Value = Clamp(Value * 2);

    private TimeSpan Clamp(TimeSpan value) => value < min ? min : value > max ? max : value;

    private static TimeSpan Abs(TimeSpan value) => value < TimeSpan.Zero ? -value : value;
}
