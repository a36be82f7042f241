using MediaEngine.Rtcp;
using MediaEngine.Rtp.Packets;

namespace MediaEngine.RtpStreams;

/// <summary>
/// One outgoing stream (a consumer), as mediasoup's RTC::RtpStreamSend: counts what is sent,
/// keeps copies for retransmission when given a <see cref="RtpRetransmissionBuffer"/>, answers
/// NACKs with the stored packets (RTX-encoded when RTX is set), and learns loss, jitter, RTT and
/// a 0–10 score from the receiver reports about it. Per-packet calls do not allocate. Not thread-safe.
/// </summary>
public sealed class RtpStreamSend : RtpStream
{
    private static readonly TimeSpan DefaultRtt = TimeSpan.FromMilliseconds(100);

    /// <summary>mediasoup's window for a stream's bitrate.</summary>
    private static readonly TimeSpan BitrateWindow = TimeSpan.FromMilliseconds(2500);

    private readonly RtpRetransmissionBuffer? _retransmissionBuffer;
    private bool _hasRtx;
    private byte _rtxPayloadType;
    private uint _rtxSsrc;
    private ushort _rtxSeq;
    private long _payloadBytesSent;
    private long _sentPriorScore;
    private uint _lostPriorScore;
    private long _repairedPriorScore;
    private long _retransmittedPriorScore;
    private readonly RateCalculator _bitrate = new(BitrateWindow);

    /// <param name="retransmissionBuffer">Where sent packets are kept for NACKs; null when the receiver does not NACK.</param>
    public RtpStreamSend(uint ssrc, uint clockRate, RtpRetransmissionBuffer? retransmissionBuffer)
        : base(ssrc, clockRate, initialScore: 10)
    {
        _retransmissionBuffer = retransmissionBuffer;
    }

    public long PacketsSent { get; private set; }

    public long BytesSent { get; private set; }

    /// <summary>Interarrival jitter the receiver last reported, in RTP timestamp units.</summary>
    public uint Jitter { get; private set; }

    /// <summary>NACK items received.</summary>
    public long NackCount { get; private set; }

    /// <summary>Sequence numbers requested by NACKs, whether or not they could be resent.</summary>
    public long NackPacketCount { get; private set; }

    public long PliCount { get; private set; }

    public long FirCount { get; private set; }

    /// <summary>NACKed packets not resent because they were resent less than an RTT ago.</summary>
    public long NackedPacketsThrottled => _retransmissionBuffer?.ResendsThrottled ?? 0;

    /// <summary>NACKed packets not resent because they are not stored (too old, never stored, or no buffer at all).</summary>
    public long NackedPacketsUnavailable => (_retransmissionBuffer?.ResendsUnavailable ?? 0) + _nackedWithoutBuffer;

    private long _nackedWithoutBuffer;

    /// <summary>
    /// Sends retransmissions on an RTX stream from now on; <paramref name="initialSequenceNumber"/>
    /// precedes its first sequence number and should be random.
    /// </summary>
    public void SetRtx(byte payloadType, uint ssrc, ushort initialSequenceNumber)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        _hasRtx = true;
        _rtxPayloadType = payloadType;
        _rtxSsrc = ssrc;
        _rtxSeq = initialSequenceNumber;
    }

    /// <summary>
    /// Accounts for a packet about to be sent, with this stream's SSRC and sequence number, and
    /// stores a copy for retransmission. False when its sequence number is invalid and it must
    /// not be sent.
    /// </summary>
    public bool ReceivePacket(RtpPacket packet, TimeSpan now)
    {
        if (packet.Ssrc != Ssrc)
        {
            throw new ArgumentException("The packet belongs to another stream.", nameof(packet));
        }

        if (!ReceiveStreamPacket(packet.SequenceNumber, packet.Timestamp, now))
        {
            return false;
        }

        _retransmissionBuffer?.Insert(packet);
        PacketsSent++;
        BytesSent += packet.Length;
        _payloadBytesSent += packet.PayloadLength;
        if (packet.PayloadLength > 0)
        {
            _bitrate.Update(packet.Length, now);
        }

        return true;
    }

    /// <summary>Bits per second of media (padding-only packets left out) over the last 2.5 s.</summary>
    public long GetBitrate(TimeSpan now) => _bitrate.GetRate(now);

    /// <summary>Counts a key frame request (PLI or FIR) from the receiver.</summary>
    public void ReceiveKeyFrameRequest(FeedbackPsMessageType type)
    {
        if (type == FeedbackPsMessageType.Fir)
        {
            FirCount++;
        }
        else
        {
            PliCount++;
        }
    }

    /// <summary>
    /// Answers one NACK item (RFC 4585 §6.2.1): enumerates, one at a time in
    /// <paramref name="scratch"/>, the requested packets still stored and not resent within the
    /// last RTT, RTX-encoded when RTX is set. Each must be sent before moving to the next.
    /// <paramref name="scratch"/> must hold the largest stored packet plus the two bytes RTX adds.
    /// </summary>
    public Retransmissions ReceiveNack(ushort packetId, ushort lostPacketBitmask, TimeSpan now, Span<byte> scratch)
    {
        if (_retransmissionBuffer is not null && scratch.Length < _retransmissionBuffer.MaxPacketLength + RtpPacket.OriginalSequenceNumberLength)
        {
            throw new ArgumentException("The scratch buffer cannot hold an RTX-encoded stored packet.", nameof(scratch));
        }

        NackCount++;
        NackPacketCount += 1 + ushort.PopCount(lostPacketBitmask);
        return new Retransmissions(this, packetId, lostPacketBitmask, now, scratch);
    }

    /// <summary>
    /// Takes a receiver report block about this stream, given the NTP time now: RTT from its
    /// LSR and DLSR, loss and jitter as reported, and the score over the interval since the
    /// previous report.
    /// </summary>
    public void ReceiveReceiverReport(in ReceiverReport report, ulong ntpNow)
    {
        UpdateRtt(report.LastSenderReport, report.DelaySinceLastSenderReport, ntpNow);
        PacketsLost = report.TotalLost;
        FractionLost = report.FractionLost;
        Jitter = report.Jitter;
        UpdateScore(report);
    }

    /// <summary>
    /// The content of a sender report sent at <paramref name="now"/> (NTP
    /// <paramref name="ntpTimestamp"/>); null before any packet was sent. The RTP timestamp is
    /// extrapolated from the newest packet.
    /// </summary>
    public SenderReportInfo? GetSenderReport(ulong ntpTimestamp, TimeSpan now)
    {
        if (PacketsSent == 0)
        {
            return null;
        }

        long elapsed = (long)((Int128)(now - MaxPacketTime).Ticks * ClockRate / TimeSpan.TicksPerSecond);
        return new SenderReportInfo(
            Ssrc, ntpTimestamp, (uint)(MaxPacketTimestamp + elapsed), (uint)PacketsSent, (uint)_payloadBytesSent);
    }

    /// <summary>Drops the stored packets: after a pause they would only be stale retransmissions.</summary>
    public void Pause() => _retransmissionBuffer?.Clear();

    protected override void OnSequenceNumberReset() => _retransmissionBuffer?.Clear();

    private bool TryRetransmit(ushort seq, TimeSpan now, Span<byte> scratch, out RtpPacket packet)
    {
        packet = default;
        TimeSpan minResendInterval = Rtt > TimeSpan.Zero ? Rtt : DefaultRtt;
        if (_retransmissionBuffer is null)
        {
            _nackedWithoutBuffer++;
            return false;
        }

        if (!_retransmissionBuffer.TryResend(seq, now, minResendInterval, scratch, out int length, out bool isFirstResend)
            || !RtpPacket.TryParse(scratch, length, out packet))
        {
            return false;
        }

        if (_hasRtx)
        {
            packet.TryRtxEncode(_rtxPayloadType, _rtxSsrc, ++_rtxSeq);
        }

        PacketsRetransmitted++;
        if (isFirstResend)
        {
            PacketsRepaired++;
        }

        return true;
    }

    private void UpdateScore(in ReceiverReport report)
    {
        uint sent = (uint)(PacketsSent - _sentPriorScore);
        uint totalLost = (uint)Math.Max(0, report.TotalLost);
        uint lost = totalLost > _lostPriorScore ? totalLost - _lostPriorScore : 0;
        uint repaired = (uint)(PacketsRepaired - _repairedPriorScore);
        uint retransmitted = (uint)(PacketsRetransmitted - _retransmittedPriorScore);
        _sentPriorScore = PacketsSent;
        _lostPriorScore = totalLost;
        _repairedPriorScore = PacketsRepaired;
        _retransmittedPriorScore = PacketsRetransmitted;
        if (sent == 0)
        {
            UpdateScore(10);
            return;
        }

        lost = Math.Min(lost, sent);
        UpdateScore(ComputeIntervalScore(sent, lost, Math.Min(repaired, lost), retransmitted));
    }

    /// <summary>The packets resent for one NACK item; enumerate with foreach.</summary>
    public ref struct Retransmissions
    {
        private readonly RtpStreamSend _stream;
        private readonly TimeSpan _now;
        private readonly Span<byte> _scratch;
        private ushort _seq;
        private int _pending;
        private RtpPacket _current;

        internal Retransmissions(RtpStreamSend stream, ushort packetId, ushort lostPacketBitmask, TimeSpan now, Span<byte> scratch)
        {
            _stream = stream;
            _now = now;
            _scratch = scratch;
            _seq = packetId;
            _pending = 1 | (lostPacketBitmask << 1);
        }

        /// <summary>The packet to send, in the scratch buffer.</summary>
        public readonly RtpPacket Current => _current;

        public readonly Retransmissions GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_pending != 0)
            {
                bool requested = (_pending & 1) != 0;
                ushort seq = _seq;
                _pending >>= 1;
                _seq++;
                if (requested && _stream.TryRetransmit(seq, _now, _scratch, out _current))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
