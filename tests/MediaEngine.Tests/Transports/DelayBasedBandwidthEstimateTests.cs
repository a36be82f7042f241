using MediaEngine.Rtcp;
using MediaEngine.Transports;

namespace MediaEngine.Tests.Transports;

/// <summary>
/// The delay-based part of the send-side estimate against a simulated path: a bottleneck of a
/// given capacity that queues (never drops) what exceeds it, fed by a sender that paces packets
/// at the current estimate, with transport-wide feedback every 100 ms as a browser sends it.
/// </summary>
public class DelayBasedBandwidthEstimateTests
{
    private const int PacketSize = 1200;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan FeedbackInterval = TimeSpan.FromMilliseconds(100);
    private const long PropagationMicroseconds = 20_000;

    /// <summary>Sender, bottleneck and receiver in simulated time; no loss anywhere.</summary>
    private sealed class Path(SendBandwidthEstimator estimator)
    {
        private readonly Queue<(ushort Sequence, long ArrivalMicroseconds)> _inFlight = new();
        private readonly byte[] _buffer = new byte[1500];
        private TimeSpan _now = TimeSpan.FromSeconds(1);
        private TimeSpan _nextFeedback = TimeSpan.FromSeconds(1) + FeedbackInterval;
        private double _sendBudgetBits;
        private long _bottleneckFreeAt;
        private ushort _sequence;
        private byte _feedbackCount;

        public List<BandwidthUsage> States { get; } = new();

        public long MaxQueueDelayMicroseconds { get; private set; }

        /// <summary>
        /// Runs for <paramref name="duration"/> through a bottleneck of <paramref name="capacity"/> bits per
        /// second, sending at the estimate or at <paramref name="sendLimit"/> when lower (consumers that
        /// have no more to send).
        /// </summary>
        public void Run(TimeSpan duration, double capacity, double sendLimit = double.MaxValue)
        {
            var end = _now + duration;
            while (_now < end)
            {
                _sendBudgetBits = Math.Min(_sendBudgetBits + Math.Min(estimator.AvailableBitrate, sendLimit) * Step.TotalSeconds, 20 * PacketSize * 8);
                var nowMicroseconds = _now.Ticks / 10;
                while (_sendBudgetBits >= PacketSize * 8)
                {
                    _sendBudgetBits -= PacketSize * 8;
                    estimator.PacketSent(++_sequence, PacketSize, _now);
                    var start = Math.Max(nowMicroseconds + PropagationMicroseconds, _bottleneckFreeAt);
                    _bottleneckFreeAt = start + (long)(PacketSize * 8 * 1e6 / capacity);
                    MaxQueueDelayMicroseconds = Math.Max(MaxQueueDelayMicroseconds, _bottleneckFreeAt - nowMicroseconds - PropagationMicroseconds);
                    _inFlight.Enqueue((_sequence, _bottleneckFreeAt));
                }
                if (_now >= _nextFeedback)
                {
                    SendFeedback(nowMicroseconds);
                    _nextFeedback += FeedbackInterval;
                }
                _now += Step;
            }
        }

        /// <summary>Feedback for every packet that has arrived by now (a prefix of what was sent: the bottleneck keeps order).</summary>
        private void SendFeedback(long nowMicroseconds)
        {
            while (_inFlight.Count > 0 && _inFlight.Peek().ArrivalMicroseconds <= nowMicroseconds)
            {
                var first = _inFlight.Peek();
                var builder = new FeedbackRtpTransportPacketBuilder(_buffer, 1, 2, first.Sequence, first.ArrivalMicroseconds, _feedbackCount++);
                while (_inFlight.Count > 0 && _inFlight.Peek().ArrivalMicroseconds <= nowMicroseconds
                    && builder.TryAddReceivedPacket(_inFlight.Peek().Sequence, _inFlight.Peek().ArrivalMicroseconds))
                {
                    _inFlight.Dequeue();
                }
                var length = builder.Complete();
                foreach (var packet in new CompoundPacket(_buffer.AsSpan(0, length)))
                {
                    Assert.True(FeedbackRtpTransportPacket.TryParse(packet, out var feedback));
                    estimator.ReceiveFeedback(in feedback, TimeSpan.FromTicks(nowMicroseconds * 10));
                    States.Add(estimator.DelayState);
                }
            }
        }
    }

    [Fact]
    public void On_a_clean_path_the_estimate_converges_up_to_its_capacity()
    {
        const double capacity = 3_000_000;
        var estimator = new SendBandwidthEstimator(500_000);
        var path = new Path(estimator);

        path.Run(TimeSpan.FromSeconds(40), capacity);

        var samples = new List<uint>();
        for (var i = 0; i < 20; i++)
        {
            path.Run(TimeSpan.FromMilliseconds(500), capacity);
            samples.Add(estimator.AvailableBitrate);
        }
        Assert.All(samples, s => Assert.InRange(s, 0.7 * capacity, 1.3 * capacity));
        Assert.InRange(samples.Average(s => (double)s), 0.8 * capacity, 1.15 * capacity);
        Assert.Equal(0, estimator.LossFraction);
        Assert.InRange(estimator.AcknowledgedBitrate ?? 0, 0.6 * capacity, 1.01 * capacity);
    }

    [Fact]
    public void A_path_that_queues_without_loss_brings_the_estimate_below_its_capacity()
    {
        const double capacity = 1_500_000;
        var estimator = new SendBandwidthEstimator(4_000_000);
        var path = new Path(estimator);

        path.Run(TimeSpan.FromSeconds(5), capacity);

        Assert.Contains(BandwidthUsage.Overusing, path.States);
        Assert.Equal(0, estimator.LossFraction);
        Assert.InRange(estimator.DelayBasedBitrate, 0.5 * capacity, capacity);
        Assert.InRange(estimator.AvailableBitrate, 0.5 * capacity, capacity);
    }

    [Fact]
    public void Once_congestion_ends_the_estimate_recovers()
    {
        var estimator = new SendBandwidthEstimator(3_000_000);
        var path = new Path(estimator);
        path.Run(TimeSpan.FromSeconds(15), 1_000_000);
        Assert.InRange(estimator.AvailableBitrate, 500_000u, 1_150_000u);

        path.Run(TimeSpan.FromSeconds(45), 4_000_000);

        Assert.InRange(estimator.AvailableBitrate, 2_800_000u, 5_200_000u);
    }

    [Fact]
    public void On_a_path_the_sender_does_not_fill_the_estimate_stays_near_what_is_sent_or_wanted()
    {
        const double capacity = 8_000_000, sent = 400_000;
        // Above what is sent already: held there (the limit stops increases, it lowers nothing).
        var above = new SendBandwidthEstimator(1_000_000);
        new Path(above).Run(TimeSpan.FromSeconds(30), capacity, sent);
        Assert.InRange(above.AvailableBitrate, 0.9 * 1_000_000, 1.05 * 1_000_000);

        var estimator = new SendBandwidthEstimator(300_000);
        var path = new Path(estimator);
        path.Run(TimeSpan.FromSeconds(30), capacity, sent);

        // 1.5 × the acknowledged bitrate + 10 kbps, with room for the acknowledged bitrate's 250 ms windows.
        Assert.InRange(estimator.AcknowledgedBitrate ?? 0, 0.9 * sent, 1.1 * sent);
        Assert.InRange(estimator.AvailableBitrate, 1.3 * sent, 1.5 * 1.1 * sent + 10_000);

        // Consumers that would send 2 Mbps (their best layers) let it rise that far, and no further.
        estimator.DesiredBitrate = 2_000_000;
        path.Run(TimeSpan.FromSeconds(30), capacity, sent);
        Assert.InRange(estimator.AvailableBitrate, 1_900_000u, 2_000_000u);
    }

    [Fact]
    public void Receiving_feedback_allocates_nothing()
    {
        var estimator = new SendBandwidthEstimator(1_000_000);
        var path = new Path(estimator);
        path.Run(TimeSpan.FromSeconds(2), 2_000_000); // warms up every code path

        // One feedback per measured window, each for the next 50 packets sent.
        var feedbacks = new byte[SteadyState.Windows][];
        for (var window = 0; window < SteadyState.Windows; window++)
        {
            var buffer = new byte[1500];
            var first = 60_000 + window * 50;
            var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, (ushort)first, 50_000_000 + window * 300_000, (byte)window);
            for (var i = 0; i < 50; i++)
            {
                var sent = TimeSpan.FromSeconds(50) + TimeSpan.FromMilliseconds(4 * (window * 50 + i));
                estimator.PacketSent((ushort)(first + i), PacketSize, sent);
                Assert.True(builder.TryAddReceivedPacket((ushort)(first + i), 50_000_000 + (window * 50 + i) * 6_000));
            }
            feedbacks[window] = buffer[..builder.Complete()];
        }

        SteadyState.AssertAllocatesNothing(window =>
        {
            Assert.True(RtcpPacket.TryParse(feedbacks[window], out var packet));
            Assert.True(FeedbackRtpTransportPacket.TryParse(packet, out var feedback));
            estimator.ReceiveFeedback(in feedback, TimeSpan.FromSeconds(51) + TimeSpan.FromMilliseconds(200 * window));
        });
    }
}
