using MediaEngine.Rtcp;
using MediaEngine.Rtp.Packets;

namespace MediaEngine.RtpStreams;

/// <summary>
/// One incoming stream (a producer encoding), as mediasoup's RTC::RtpStreamRecv: counts what
/// arrives, computes loss (RFC 3550 §A.3) and interarrival jitter (§A.8) for receiver reports,
/// remembers the last sender report for LSR/DLSR, scores the stream on every sender report and
/// drops the score to 0 when media stops. With NACK enabled it owns a <see cref="NackGenerator"/>;
/// after every call <see cref="NacksToSend"/> and <see cref="IsKeyFrameRequired"/> tell what to
/// request from the sender. <see cref="HandleTimeout"/> is due at <see cref="NextTimeout"/>.
/// Allocates only in the constructor. Not thread-safe.
/// </summary>
public sealed class RtpStreamRecv : RtpStream
{
    public static readonly TimeSpan DefaultInactivityTimeout = TimeSpan.FromMilliseconds(1500);

    /// <summary>With DTX a silent sender legitimately pauses, so inactivity takes longer to conclude.</summary>
    public static readonly TimeSpan InactivityTimeoutWithDtx = TimeSpan.FromMilliseconds(5000);


    private readonly NackGenerator? _nackGenerator;
    private readonly bool _hasRtx;
    private readonly TimeSpan _inactivityTimeout;
    private bool _areNacksCurrent;

    // RFC 3550 §A.3 counts, restarted with the sequence numbers.
    private uint _received;
    private uint _expectedPrior;
    private uint _receivedPrior;
    private uint _expectedPriorScore;
    private uint _receivedPriorScore;
    private long _repairedPriorScore;
    private long _retransmittedPriorScore;

    private bool _hasTransit;
    private int _transit;
    private double _jitter;

    private bool _hasSenderReport;
    private uint _lastSenderReport;
    private TimeSpan _lastSenderReportArrival;

    private TimeSpan? _inactivityDeadline;

    /// <param name="useNack">Whether the sender retransmits on NACK.</param>
    /// <param name="hasRtx">Whether retransmissions come on an RTX stream rather than this one.</param>
    /// <param name="sendNackDelay">How long a missing packet waits before its first NACK.</param>
    /// <param name="inactivityTimeout">
    /// How long without media before the score drops to 0, counted from the first packet;
    /// <see cref="TimeSpan.Zero"/> disables the check.
    /// </param>
    public RtpStreamRecv(uint ssrc, uint clockRate, bool useNack, bool hasRtx, TimeSpan sendNackDelay, TimeSpan inactivityTimeout)
        : base(ssrc, clockRate, initialScore: 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inactivityTimeout, TimeSpan.Zero);
        _nackGenerator = useNack ? new NackGenerator(sendNackDelay) : null;
        _hasRtx = hasRtx;
        _inactivityTimeout = inactivityTimeout;
    }

    /// <summary>Packets accepted on this SSRC, padding-only ones included.</summary>
    public long PacketsReceived { get; private set; }

    public long BytesReceived { get; private set; }

    /// <summary>Interarrival jitter in RTP timestamp units.</summary>
    public uint Jitter => (uint)_jitter;

    /// <summary>Whether media stopped for longer than the inactivity timeout.</summary>
    public bool IsInactive { get; private set; }

    /// <summary>Whether a sender report arrived: until then the stream's timestamps cannot be placed in wall-clock time.</summary>
    public bool HasSenderReport => _hasSenderReport;

    /// <summary>The 64-bit NTP timestamp of the last sender report; 0 before one arrives.</summary>
    public ulong LastSenderReportNtpTimestamp { get; private set; }

    /// <summary>The RTP timestamp of the last sender report, the same instant as <see cref="LastSenderReportNtpTimestamp"/>.</summary>
    public uint LastSenderReportRtpTimestamp { get; private set; }

    /// <summary>NACK packets asked for, one per non-empty <see cref="NacksToSend"/>.</summary>
    public long NackCount { get; private set; }

    /// <summary>Sequence numbers NACKed, repeats included.</summary>
    public long NackPacketCount { get; private set; }

    /// <summary>Sequence numbers to NACK, ascending, as decided by the last call; valid until the next one.</summary>
    public ReadOnlySpan<ushort> NacksToSend =>
        _areNacksCurrent && _nackGenerator is { } nackGenerator ? nackGenerator.NacksToSend : default;

    /// <summary>Whether the last call gave up on missing packets, so a key frame must be requested.</summary>
    public bool IsKeyFrameRequired => _areNacksCurrent && _nackGenerator is { IsKeyFrameRequired: true };

    /// <summary>When <see cref="HandleTimeout"/> must next be called, or null when no timer runs.</summary>
    public TimeSpan? NextTimeout
    {
        get
        {
            TimeSpan? nack = _nackGenerator?.NextTimeout;
            return nack is null || (_inactivityDeadline is { } inactivity && inactivity < nack) ? _inactivityDeadline : nack;
        }
    }

    /// <summary>
    /// Accounts for a packet that arrived on this stream's SSRC at <paramref name="now"/>;
    /// <paramref name="isKeyFrame"/> as told by <c>KeyFrameDetector</c>. False when its sequence
    /// number is invalid and it must be dropped.
    /// </summary>
    public bool ReceivePacket(RtpPacket packet, bool isKeyFrame, TimeSpan now)
    {
        _areNacksCurrent = false;
        ushort seq = packet.SequenceNumber;
        if (!ReceiveStreamPacket(seq, packet.Timestamp, now))
        {
            return false;
        }

        _received++;
        PacketsReceived++;
        BytesReceived += packet.Length;
        if (_nackGenerator is not null
            && _nackGenerator.ReceivePacket(seq, isKeyFrame, isRecovered: false, now)
            && !_hasRtx)
        {
            PacketsRetransmitted++;
            PacketsRepaired++;
        }

        CountNacks();
        UpdateJitter(packet.Timestamp, now);
        if (packet.PayloadLength > 0)
        {
            MarkActive(now);
        }

        return true;
    }

    /// <summary>
    /// Accounts for a retransmission that came on the RTX stream, already decoded back to this
    /// stream's SSRC and sequence number. True when it repaired a NACKed packet and should be
    /// forwarded.
    /// </summary>
    public bool ReceiveRtxPacket(RtpPacket packet, bool isKeyFrame, TimeSpan now)
    {
        _areNacksCurrent = false;
        ushort seq = packet.SequenceNumber;
        if (_nackGenerator is null || !UpdateSeq(seq))
        {
            return false;
        }

        PacketsRetransmitted++;
        bool repaired = _nackGenerator.ReceivePacket(seq, isKeyFrame, isRecovered: true, now);
        CountNacks();
        if (repaired && packet.PayloadLength > 0)
        {
            PacketsRepaired++;
            MarkActive(now);
        }

        return repaired;
    }

    /// <summary>Repeats due NACKs and detects inactivity; harmless to call at any time.</summary>
    public void HandleTimeout(TimeSpan now)
    {
        _areNacksCurrent = false;
        _nackGenerator?.HandleTimeout(now);
        CountNacks();
        if (_inactivityDeadline is { } deadline && now >= deadline)
        {
            _inactivityDeadline = null;
            IsInactive = true;
            ResetScore(0);
        }
    }

    /// <summary>
    /// The report block for a receiver report sent at <paramref name="now"/>. Starts a new
    /// report interval: call it once per report sent.
    /// </summary>
    public ReceiverReport GetReceiverReport(TimeSpan now)
    {
        uint expected = ExpectedPackets;
        PacketsLost = (int)Math.Clamp((long)expected - _received, ReceiverReport.MinTotalLost, ReceiverReport.MaxTotalLost);

        uint expectedInterval = expected - _expectedPrior;
        uint receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        long lostInterval = (long)expectedInterval - receivedInterval;
        FractionLost = expectedInterval == 0 || lostInterval <= 0
            ? (byte)0
            : (byte)Math.Min(byte.MaxValue, (lostInterval << 8) / expectedInterval);

        uint delaySinceLastSenderReport = 0;
        if (_hasSenderReport && now > _lastSenderReportArrival)
        {
            delaySinceLastSenderReport = (uint)((now - _lastSenderReportArrival).Ticks * 65536 / TimeSpan.TicksPerSecond);
        }

        return new ReceiverReport(
            Ssrc,
            FractionLost,
            PacketsLost,
            ExtendedHighestSequenceNumber,
            Jitter,
            _hasSenderReport ? _lastSenderReport : 0,
            delaySinceLastSenderReport);
    }

    /// <summary>
    /// Records a sender report for this SSRC, given its NTP and RTP timestamps, and rescores the
    /// stream over the interval since the previous one.
    /// </summary>
    public void ReceiveSenderReport(ulong ntpTimestamp, uint rtpTimestamp, TimeSpan now)
    {
        _hasSenderReport = true;
        _lastSenderReport = CompactNtp(ntpTimestamp);
        _lastSenderReportArrival = now;
        LastSenderReportNtpTimestamp = ntpTimestamp;
        LastSenderReportRtpTimestamp = rtpTimestamp;
        UpdateScore();
    }

    /// <summary>
    /// Measures the RTT from an XR DLRR sub-block (RFC 3611 §4.5) echoing our receiver reference
    /// time, given the NTP time now; NACKs are then repeated at that pace.
    /// </summary>
    public void ReceiveXrDelaySinceLastRr(uint lastReceiverReport, uint delaySinceLastReceiverReport, ulong ntpNow)
    {
        UpdateRtt(lastReceiverReport, delaySinceLastReceiverReport, ntpNow);
        if (_nackGenerator is not null)
        {
            _nackGenerator.Rtt = Rtt;
        }
    }

    /// <summary>Stops NACKs and the inactivity check, and restarts jitter, while the producer is paused.</summary>
    public void Pause()
    {
        _areNacksCurrent = false;
        _nackGenerator?.Reset();
        _inactivityDeadline = null;
        _hasTransit = false;
        _jitter = 0;
    }

    public void Resume(TimeSpan now)
    {
        if (!IsInactive && _inactivityTimeout > TimeSpan.Zero)
        {
            _inactivityDeadline = now + _inactivityTimeout;
        }
    }

    protected override void OnSequenceNumberReset()
    {
        _received = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
        _expectedPriorScore = 0;
        _receivedPriorScore = 0;
    }

    private void CountNacks()
    {
        if (_nackGenerator is null)
        {
            return;
        }

        _areNacksCurrent = true;
        int requested = _nackGenerator.NacksToSend.Length;
        if (requested > 0)
        {
            NackCount++;
            NackPacketCount += requested;
        }
    }

    private void MarkActive(TimeSpan now)
    {
        if (IsInactive)
        {
            IsInactive = false;
            ResetScore(10);
        }

        if (_inactivityTimeout > TimeSpan.Zero)
        {
            _inactivityDeadline = now + _inactivityTimeout;
        }
    }

    // RFC 3550 §A.8, with the arrival time converted to RTP timestamp units.
    private void UpdateJitter(uint rtpTimestamp, TimeSpan now)
    {
        long arrival = (long)((Int128)now.Ticks * ClockRate / TimeSpan.TicksPerSecond);
        int transit = (int)((uint)arrival - rtpTimestamp);
        if (!_hasTransit)
        {
            _hasTransit = true;
            _transit = transit;
            return;
        }

        int difference = transit - _transit;
        _transit = transit;
        _jitter += (Math.Abs((double)difference) - _jitter) / 16;
    }

    private void UpdateScore()
    {
        uint totalExpected = ExpectedPackets;
        uint expected = totalExpected - _expectedPriorScore;
        uint received = _received - _receivedPriorScore;
        uint repaired = (uint)(PacketsRepaired - _repairedPriorScore);
        uint retransmitted = (uint)(PacketsRetransmitted - _retransmittedPriorScore);
        _expectedPriorScore = totalExpected;
        _receivedPriorScore = _received;
        _repairedPriorScore = PacketsRepaired;
        _retransmittedPriorScore = PacketsRetransmitted;
        if (IsInactive)
        {
            return;
        }

        if (expected == 0)
        {
            UpdateScore(10);
            return;
        }

        if (received == 0)
        {
            UpdateScore(0);
            return;
        }

        uint lost = Math.Min(expected > received ? expected - received : 0, received);
        if (repaired > lost)
        {
            if (_hasRtx)
            {
                retransmitted -= repaired - lost;
                repaired = lost;
            }
            else
            {
                lost = repaired;
            }
        }

        UpdateScore(ComputeIntervalScore(received, lost, repaired, retransmitted));
    }
}
