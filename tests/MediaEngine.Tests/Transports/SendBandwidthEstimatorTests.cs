using MediaEngine.Rtcp;
using MediaEngine.Transports;

namespace MediaEngine.Tests.Transports;

/// <summary>The loss-based send-side estimate fed by transport-wide feedback.</summary>
public class SendBandwidthEstimatorTests
{
    /// <summary>Sends 100 packets of 1,000 bytes 10 ms apart (≈ 808 kbps) and feeds back the ones <paramref name="lost"/> spares.</summary>
    private static bool SendAndReport(SendBandwidthEstimator estimator, ushort first, Func<int, bool> lost, TimeSpan start)
    {
        for (var i = 0; i < 100; i++)
            estimator.PacketSent((ushort)(first + i), 1000, start + TimeSpan.FromMilliseconds(10 * i));
        var buffer = new byte[1500];
        var last = Enumerable.Range(0, 100).Last(i => !lost(i));
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, first, start.Ticks / 10, 0);
        for (var i = 0; i <= last; i++)
        {
            if (!lost(i))
                Assert.True(builder.TryAddReceivedPacket((ushort)(first + i), start.Ticks / 10 + i * 10_000));
        }
        var length = builder.Complete();
        foreach (var packet in new CompoundPacket(buffer.AsSpan(0, length)))
        {
            Assert.True(FeedbackRtpTransportPacket.TryParse(packet, out var feedback));
            return estimator.ReceiveFeedback(in feedback, start + TimeSpan.FromSeconds(1));
        }
        throw new Xunit.Sdk.XunitException("no feedback packet written");
    }

    [Fact]
    public void Without_loss_the_estimate_rises_by_8_percent_per_interval()
    {
        var estimator = new SendBandwidthEstimator(1_000_000);
        Assert.False(SendAndReport(estimator, 0, _ => false, TimeSpan.FromSeconds(1))); // the first feedback opens the interval

        Assert.True(SendAndReport(estimator, 100, _ => false, TimeSpan.FromSeconds(2)));

        Assert.Equal(1_080_000u, estimator.AvailableBitrate);
        Assert.Equal(0, estimator.LossFraction);
    }

    [Fact]
    public void Heavy_loss_lowers_the_estimate_below_the_rate_actually_sent()
    {
        var estimator = new SendBandwidthEstimator(5_000_000);
        Assert.False(SendAndReport(estimator, 0, i => i % 10 < 3, TimeSpan.FromSeconds(1)));

        Assert.True(SendAndReport(estimator, 100, i => i % 10 < 3, TimeSpan.FromSeconds(2)));

        Assert.InRange(estimator.LossFraction, 0.29, 0.31);
        Assert.InRange(estimator.SentBitrate, 795_000u, 815_000u); // 200 packets over 1.99 s
        Assert.InRange(estimator.AvailableBitrate, 670_000u, 695_000u); // ≈ 804 kbps × (1 − 0.3 / 2)
    }

    [Fact]
    public void Moderate_loss_holds_the_estimate_and_unknown_or_repeated_reports_are_ignored()
    {
        var estimator = new SendBandwidthEstimator(2_000_000);
        Assert.False(SendAndReport(estimator, 0, i => i % 20 == 0, TimeSpan.FromSeconds(1)));

        Assert.False(SendAndReport(estimator, 100, i => i % 20 == 0, TimeSpan.FromSeconds(2))); // the loss-based part holds it: the estimate does not change
        Assert.Equal(0.05, estimator.LossFraction, 3);
        Assert.Equal(2_000_000u, estimator.AvailableBitrate);

        // The same sequence numbers reported again count for nothing: no interval completes.
        Assert.False(SendAndReportAgain(estimator));
    }

    [Fact]
    public void Packet_loss_averages_the_feedback_packets_the_newest_weighing_most()
    {
        var estimator = new SendBandwidthEstimator(1_000_000);
        Assert.Null(estimator.PacketLoss);

        SendAndReport(estimator, 0, i => i % 10 == 0, TimeSpan.FromSeconds(1));
        Assert.Equal(0.1, estimator.PacketLoss!.Value, 6);

        SendAndReport(estimator, 100, _ => false, TimeSpan.FromSeconds(2));
        Assert.Equal(0.1 / 3, estimator.PacketLoss!.Value, 6);
    }

    private static bool SendAndReportAgain(SendBandwidthEstimator estimator)
    {
        var buffer = new byte[1500];
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, 100, 1_000_000, 1);
        for (var i = 0; i < 100; i++)
            Assert.True(builder.TryAddReceivedPacket((ushort)(100 + i), 1_000_000 + i * 10_000));
        var length = builder.Complete();
        foreach (var packet in new CompoundPacket(buffer.AsSpan(0, length)))
        {
            Assert.True(FeedbackRtpTransportPacket.TryParse(packet, out var feedback));
            return estimator.ReceiveFeedback(in feedback, TimeSpan.FromSeconds(5));
        }
        return false;
    }
}
