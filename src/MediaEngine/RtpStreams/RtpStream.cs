namespace MediaEngine.RtpStreams;

/// <summary>
/// What mediasoup's RTC::RtpStream shares between incoming and outgoing streams: sequence number
/// validation and extension (RFC 3550 §A.1), the highest RTP timestamp and when it was seen,
/// retransmission counters, the RTT from report timestamps, and the 0–10 score kept as a weighted
/// average of recent interval scores. Times are monotonic and supplied by the caller.
/// </summary>
public abstract class RtpStream
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 1500;
    private const int SequenceNumberModulus = 1 << 16;
    private const int ScoreHistoryLength = 24;

    private readonly RecentWeightedAverage _scores = new(ScoreHistoryLength);
    private bool _started;
    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private int _badSeq;

    protected RtpStream(uint ssrc, uint clockRate, byte initialScore)
    {
        ArgumentOutOfRangeException.ThrowIfZero(clockRate);
        EnsureValidScore(initialScore);
        Ssrc = ssrc;
        ClockRate = clockRate;
        Score = initialScore;
    }

    public uint Ssrc { get; }

    public uint ClockRate { get; }

    /// <summary>0 (unusable) to 10 (perfect).</summary>
    public byte Score { get; private set; }

    /// <summary>The highest sequence number seen with the count of its wrap-arounds in the upper 16 bits.</summary>
    public uint ExtendedHighestSequenceNumber => _cycles + _maxSeq;

    /// <summary>Packets the sequence numbers say were sent since the first one (or the last resync).</summary>
    public uint ExpectedPackets => _started ? _cycles + _maxSeq - _baseSeq + 1 : 0;

    /// <summary>The highest RTP timestamp seen.</summary>
    public uint MaxPacketTimestamp { get; private set; }

    /// <summary>When the packet with <see cref="MaxPacketTimestamp"/> was seen.</summary>
    public TimeSpan MaxPacketTime { get; private set; }

    /// <summary>Packets ignored for a sequence number too far from the expected one.</summary>
    public long PacketsDiscarded { get; private set; }

    public long PacketsRetransmitted { get; protected set; }

    /// <summary>Retransmissions that filled a gap.</summary>
    public long PacketsRepaired { get; protected set; }

    /// <summary>Cumulative number of packets lost (RFC 3550 §6.4.1), as last computed or reported.</summary>
    public int PacketsLost { get; protected set; }

    /// <summary>Fraction of packets lost in the last report interval, in 1/256 units.</summary>
    public byte FractionLost { get; protected set; }

    /// <summary>Round-trip time to the remote endpoint; zero until measured.</summary>
    public TimeSpan Rtt { get; private set; }

    /// <summary>Discards the score history and sets the score, e.g. after a layer switch or inactivity.</summary>
    public void ResetScore(byte score)
    {
        EnsureValidScore(score);
        _scores.Clear();
        Score = score;
    }

    /// <summary>The middle 32 bits of a 64-bit NTP timestamp, the form of LSR and DLRR fields.</summary>
    protected static uint CompactNtp(ulong ntpTimestamp) => (uint)(ntpTimestamp >> 16);

    /// <summary>
    /// Validates the packet's sequence number and tracks the highest RTP timestamp. False when the
    /// packet must be ignored: a jump beyond the allowed dropout or misorder, unless the next
    /// packet confirms it, in which case the stream restarts there.
    /// </summary>
    protected bool ReceiveStreamPacket(ushort seq, uint timestamp, TimeSpan now)
    {
        if (!_started)
        {
            _started = true;
            InitSeq(seq);
            SetMaxPacketTimestamp(timestamp, now);
            return true;
        }

        SequenceNumberUpdate update = ClassifySequenceNumber(seq);
        if (update == SequenceNumberUpdate.Discarded)
        {
            return false;
        }

        if (update == SequenceNumberUpdate.Restarted || SeqManager<uint>.IsSeqHigherThan(timestamp, MaxPacketTimestamp))
        {
            SetMaxPacketTimestamp(timestamp, now);
        }

        return true;
    }

    /// <summary>Sequence number validation alone, for retransmissions; false for a packet to ignore.</summary>
    protected bool UpdateSeq(ushort seq) => _started && ClassifySequenceNumber(seq) != SequenceNumberUpdate.Discarded;

    /// <summary>Called when the stream restarts at a new sequence number and its loss accounting must start over.</summary>
    protected abstract void OnSequenceNumberReset();

    /// <summary>Adds the score of the last interval and recomputes <see cref="Score"/>, newer intervals weighing more.</summary>
    protected void UpdateScore(byte score)
    {
        EnsureValidScore(score);
        _scores.Add(score);
        Score = (byte)Math.Round(_scores.Value, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Score of an interval in which <paramref name="lost"/> of <paramref name="packets"/> packets
    /// were lost and <paramref name="repaired"/> of them recovered by <paramref name="retransmitted"/>
    /// retransmissions: repairs offset losses less the more of them there were and the more
    /// retransmissions they took. The delivered ratio is raised to the fourth power, so 10 lost
    /// with 90 received scores 6.
    /// </summary>
    protected static byte ComputeIntervalScore(uint packets, uint lost, uint repaired, uint retransmitted)
    {
        double repairedRatio = (double)repaired / packets;
        double repairedWeight = Math.Pow(1 / (repairedRatio + 1), 4);
        if (retransmitted > 0)
        {
            repairedWeight *= (double)repaired / retransmitted;
        }

        uint effectiveLost = (uint)(lost - repaired * repairedWeight);
        double deliveredRatio = (double)(packets - effectiveLost) / packets;
        return (byte)Math.Round(Math.Pow(deliveredRatio, 4) * 10, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// RTT from a report block echoing one of our reports: the compact NTP time now minus the
    /// echoed timestamp and the delay the remote held it. Ignored when nothing was echoed yet.
    /// </summary>
    protected void UpdateRtt(uint lastReport, uint delaySinceLastReport, ulong ntpNow)
    {
        if (lastReport == 0)
        {
            return;
        }

        int roundTrip = (int)(CompactNtp(ntpNow) - lastReport - delaySinceLastReport);
        Rtt = roundTrip > 0 ? TimeSpan.FromTicks(roundTrip * TimeSpan.TicksPerSecond / 65536) : TimeSpan.Zero;
    }

    // RFC 3550 §A.1 update_seq without probation, as mediasoup.
    private SequenceNumberUpdate ClassifySequenceNumber(ushort seq)
    {
        int delta = (ushort)(seq - _maxSeq);
        if (delta < MaxDropout)
        {
            if (seq < _maxSeq)
            {
                _cycles += SequenceNumberModulus;
            }

            _maxSeq = seq;
            return SequenceNumberUpdate.Accepted;
        }

        if (delta > SequenceNumberModulus - MaxMisorder)
        {
            return SequenceNumberUpdate.Accepted;
        }

        if (seq != _badSeq)
        {
            _badSeq = (seq + 1) & (SequenceNumberModulus - 1);
            PacketsDiscarded++;
            return SequenceNumberUpdate.Discarded;
        }

        // Two sequential packets after a large jump: the sender restarted without telling.
        InitSeq(seq);
        OnSequenceNumberReset();
        return SequenceNumberUpdate.Restarted;
    }

    private void InitSeq(ushort seq)
    {
        _baseSeq = seq;
        _maxSeq = seq;
        _cycles = 0;
        _badSeq = SequenceNumberModulus + 1;
    }

    private void SetMaxPacketTimestamp(uint timestamp, TimeSpan now)
    {
        MaxPacketTimestamp = timestamp;
        MaxPacketTime = now;
    }

    private static void EnsureValidScore(byte score) => ArgumentOutOfRangeException.ThrowIfGreaterThan(score, (byte)10);

    private enum SequenceNumberUpdate
    {
        Accepted,
        Discarded,
        Restarted,
    }
}
