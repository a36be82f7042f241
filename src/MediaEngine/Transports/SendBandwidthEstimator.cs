using MediaEngine.Rtcp;
using MediaEngine.RtpStreams;

namespace MediaEngine.Transports;

/// <summary>
/// The bitrate a transport can send to its browser, estimated from the transport-wide congestion
/// control feedback (draft-holmer-rmcat-transport-wide-cc-extensions) about the packets it sent,
/// as Google congestion control does (draft-ietf-rmcat-gcc): the smaller of two estimates.
/// Delay-based (§5), on every feedback: the one-way delay variation of packet groups
/// (<see cref="InterArrivalDelta"/>), its trend against an adaptive threshold
/// (<see cref="TrendlineEstimator"/>) and AIMD rate control (<see cref="AimdRateControl"/>), so a
/// path that queues without losing is seen. Loss-based (§6), over each interval of at least
/// <see cref="UpdateInterval"/>: a loss above 10% lowers the estimate to the rate actually sent
/// times (1 − loss/2), a loss under 2% raises it by 8%, anything between holds it; it never rises
/// above the delay-based one. No probing: the delay-based estimate rises at most to 1.5 × the
/// acknowledged bitrate + 10 kbps, or to <see cref="DesiredBitrate"/> when higher. The send history is a fixed ring; allocates only in the
/// constructor. Not thread-safe.
/// </summary>
public sealed class SendBandwidthEstimator
{
    public const uint MinBitrate = 30_000;
    public const uint MaxBitrate = 10_000_000;
    public static readonly TimeSpan UpdateInterval = TimeSpan.FromMilliseconds(500);

    private const int MinReportedPerUpdate = 20;

    /// <summary>How many feedback packets <see cref="PacketLoss"/> averages (mediasoup's value).</summary>
    private const int PacketLossHistoryLength = 24;

    private readonly SentPacketHistory _sent = new();

    private readonly InterArrivalDelta _interArrival = new();
    private readonly TrendlineEstimator _trendline = new();
    private readonly AcknowledgedBitrateEstimator _acknowledged = new();
    private readonly AimdRateControl _delayBased;
    private readonly RecentWeightedAverage _packetLoss = new(PacketLossHistoryLength);
    private double _lossBased;

    private TimeSpan? _intervalStart;
    private int _intervalReported;
    private int _intervalLost;
    private long _intervalBytes;
    private long _intervalFirstSentTicks = long.MaxValue;
    private long _intervalLastSentTicks = long.MinValue;

    public SendBandwidthEstimator(uint initialBitrate)
    {
        AvailableBitrate = Math.Clamp(initialBitrate, MinBitrate, MaxBitrate);
        _lossBased = AvailableBitrate;
        _delayBased = new AimdRateControl(AvailableBitrate, MinBitrate, MaxBitrate);
    }

    /// <summary>Bits per second the transport may send: the smaller of the delay- and loss-based estimates.</summary>
    public uint AvailableBitrate { get; private set; }

    /// <summary>The delay-based estimate alone.</summary>
    public uint DelayBasedBitrate => (uint)_delayBased.Bitrate;

    /// <summary>The loss-based estimate alone.</summary>
    public uint LossBasedBitrate => (uint)_lossBased;

    /// <summary>What the delay trend said at the last feedback.</summary>
    public BandwidthUsage DelayState => _trendline.State;

    /// <summary>Bits per second the browser received, from the arrival times it reported; null before enough feedback.</summary>
    public uint? AcknowledgedBitrate => _acknowledged.Bitrate;

    /// <summary>
    /// Bits per second the transport's consumers would send with no limit (their best layers), set
    /// by the transport before each feedback: how far the estimate may rise past what is sent.
    /// </summary>
    public uint DesiredBitrate { get; set; }

    /// <summary>The loss fraction (0–1) of the last interval.</summary>
    public double LossFraction { get; private set; }

    /// <summary>
    /// The share (0–1) of the packets each feedback packet reports as not received, averaged over
    /// the last ones with the newest weighing most (mediasoup's rtpPacketLossSent); null before any feedback.
    /// </summary>
    public double? PacketLoss { get; private set; }

    /// <summary>Bits per second sent over the last interval, from the send times of the packets reported.</summary>
    public uint SentBitrate { get; private set; }

    /// <summary>A packet left with transport-wide sequence number <paramref name="sequenceNumber"/>.</summary>
    public void PacketSent(ushort sequenceNumber, int size, TimeSpan now)
    {
        _sent.Add(sequenceNumber, size, now.Ticks);
    }

    /// <summary>A feedback packet from the browser; true when the estimate changed.</summary>
    public bool ReceiveFeedback(in FeedbackRtpTransportPacket feedback, TimeSpan now)
    {
        var before = AvailableBitrate;
        var delayUpdated = false;
        var statuses = 0;
        var notReceived = 0;
        foreach (var result in feedback.Results)
        {
            statuses++;
            if (!result.IsReceived)
                notReceived++;
            // Unknown (too old, never sent) or already counted: feedback may report a packet again.
            if (!_sent.TryReport(result.SequenceNumber, out var size, out var sentAtTicks))
                continue;
            _intervalReported++;
            if (!result.IsReceived)
            {
                _intervalLost++;
            }
            else
            {
                var arrival = result.ArrivalTimeMicroseconds;
                _acknowledged.PacketArrived(arrival, size);
                if (_interArrival.TryAdd(sentAtTicks / 10, arrival, out var sendDelta, out var arrivalDelta))
                {
                    _trendline.Update(arrivalDelta, sendDelta, arrival);
                    delayUpdated = true;
                }
            }
            _intervalBytes += size;
            _intervalFirstSentTicks = Math.Min(_intervalFirstSentTicks, sentAtTicks);
            _intervalLastSentTicks = Math.Max(_intervalLastSentTicks, sentAtTicks);
        }

        if (statuses > 0)
        {
            _packetLoss.Add((double)notReceived / statuses);
            PacketLoss = _packetLoss.Value;
        }
        if (delayUpdated)
            _delayBased.Update(_trendline.State, _acknowledged.Bitrate, DesiredBitrate, now);
        _intervalStart ??= now;
        if (now - _intervalStart.Value >= UpdateInterval && _intervalReported >= MinReportedPerUpdate)
            UpdateLossBased(now);
        _lossBased = Math.Min(_lossBased, _delayBased.Bitrate);
        AvailableBitrate = (uint)Math.Clamp(Math.Min(_lossBased, _delayBased.Bitrate), MinBitrate, MaxBitrate);
        return AvailableBitrate != before;
    }

    private void UpdateLossBased(TimeSpan now)
    {
        LossFraction = Math.Clamp((double)_intervalLost / _intervalReported, 0, 1);
        var sentSpan = TimeSpan.FromTicks(Math.Max(_intervalLastSentTicks - _intervalFirstSentTicks, TimeSpan.TicksPerMillisecond * 100));
        SentBitrate = (uint)Math.Min(uint.MaxValue, _intervalBytes * 8 / sentSpan.TotalSeconds);
        var estimate = _lossBased;
        if (LossFraction > 0.10)
            estimate = Math.Min(estimate, SentBitrate) * (1 - 0.5 * LossFraction);
        else if (LossFraction < 0.02)
            estimate *= 1.08;
        _lossBased = Math.Clamp(estimate, MinBitrate, MaxBitrate);

        _intervalStart = now;
        _intervalReported = 0;
        _intervalLost = 0;
        _intervalBytes = 0;
        _intervalFirstSentTicks = long.MaxValue;
        _intervalLastSentTicks = long.MinValue;
    }
}
