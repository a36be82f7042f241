using MediaEngine.Rtcp;
using MediaEngine.Transports;

namespace MediaEngine.Tests.Transports;

public sealed class TransportWideCcFeedbackTests
{
    private static List<(ushort Sequence, bool Received)> Parse(byte[] buffer, int length)
    {
        Assert.True(RtcpPacket.TryParse(buffer.AsSpan(0, length), out var packet));
        Assert.True(FeedbackRtpTransportPacket.TryParse(packet, out var feedback));
        var results = new List<(ushort, bool)>();
        foreach (var result in feedback.Results)
            results.Add((result.SequenceNumber, result.Status != FeedbackRtpTransportStatus.NotReceived));
        return results;
    }

    [Fact]
    public void Packets_out_of_order_and_across_the_wrap_are_reported_in_sequence_with_losses()
    {
        var feedback = new TransportWideCcFeedback();
        feedback.Record(65534, 1_000_000);
        feedback.Record(1, 1_004_000);
        feedback.Record(65535, 1_001_000);
        feedback.Record(1, 1_004_500);
        var buffer = new byte[1500];
        var sent = new List<List<(ushort, bool)>>();

        feedback.Flush(buffer, 42, length => sent.Add(Parse(buffer, length)));

        var results = Assert.Single(sent);
        Assert.Equal([(65534, true), (65535, true), (0, false), (1, true)], results);
        Assert.Equal(0, feedback.PendingCount);
    }

    [Fact]
    public void Nothing_is_sent_without_packets_and_counts_increase_per_feedback()
    {
        var feedback = new TransportWideCcFeedback();
        var buffer = new byte[1500];
        var counts = new List<byte>();
        feedback.Flush(buffer, 1, _ => counts.Add(0));
        Assert.Empty(counts);

        for (var round = 0; round < 2; round++)
        {
            feedback.Record((ushort)(10 + round), 2_000_000 + round * 100_000);
            feedback.Flush(buffer, 1, length =>
            {
                Assert.True(RtcpPacket.TryParse(buffer.AsSpan(0, length), out var packet));
                Assert.True(FeedbackRtpTransportPacket.TryParse(packet, out var parsed));
                counts.Add(parsed.FeedbackPacketCount);
            });
        }
        Assert.Equal([(byte)0, (byte)1], counts);
    }

    [Fact]
    public void Packet_loss_is_the_share_missing_from_each_interval_the_newest_weighing_most()
    {
        var feedback = new TransportWideCcFeedback();
        var buffer = new byte[1500];
        void Flush(params int[] sequences)
        {
            foreach (var sequence in sequences)
                feedback.Record((ushort)sequence, 1_000_000 + sequence * 1000);
            feedback.Flush(buffer, 1, _ => { });
        }
        Assert.Null(feedback.PacketLoss);

        Flush(1, 2, 5, 6, 7, 8, 9, 10); // 3 and 4 missing: 2 of 10
        Assert.Equal(0.2, feedback.PacketLoss!.Value, 6);

        Flush(11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 4); // complete; 4, late, was counted already
        Assert.Equal(0.2 / 3, feedback.PacketLoss!.Value, 6);

        Flush(26, 27, 28, 29, 30); // 21 to 25 missing since the last feedback: 5 of 10
        Assert.Equal((0.2 + 3 * 0.5) / 6, feedback.PacketLoss!.Value, 6);
    }
}
