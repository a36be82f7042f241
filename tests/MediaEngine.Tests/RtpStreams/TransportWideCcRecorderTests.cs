using MediaEngine.RtpStreams;
using static MediaEngine.RtpStreams.TransportWideCcPacketStatus;

namespace MediaEngine.Tests.RtpStreams;

public class TransportWideCcRecorderTests
{
    [Fact]
    public void Feedback_MatchesAHandComputedExample()
    {
        var recorder = new TransportWideCcRecorder();
        var feedback = new TransportWideCcFeedback();
        Record(recorder, 10, 1_000_000);
        Record(recorder, 11, 1_000_500);
        Record(recorder, 13, 1_070_000);
        Record(recorder, 14, 1_069_875);
        Record(recorder, 15, 1_070_130);

        Assert.True(recorder.TryFillFeedback(feedback, Us(1_080_000)));

        // Reference: ⌊1 000 000 / 64 000⌋ = 15, i.e. 960 000 µs. Deltas, each from the previous
        // quantized time: 40 000 µs = 160; 500 µs = 2; 69 500 µs = 278; -125 µs = -1 (halves
        // round away from zero); 1 070 130 - 1 069 750 = 380 µs = 1.52 → 2.
        Assert.Equal(10, feedback.BaseSequenceNumber);
        Assert.Equal(15, feedback.ReferenceTime);
        Assert.Equal(0, feedback.FeedbackPacketCount);
        Assert.Equal(
            [ReceivedSmallDelta, ReceivedSmallDelta, NotReceived, ReceivedLargeDelta, ReceivedLargeDelta, ReceivedSmallDelta],
            feedback.PacketStatuses.ToArray());
        Assert.Equal([160, 2, 278, -1, 2], feedback.ReceiveDeltas.ToArray());
        Assert.False(recorder.TryFillFeedback(feedback, Us(1_080_000)));

        Record(recorder, 16, 1_200_000);
        Assert.True(recorder.TryFillFeedback(feedback, Us(1_200_000)));

        // ⌊1 200 000 / 64 000⌋ = 18 (1 152 000 µs); 48 000 µs = 192.
        Assert.Equal(16, feedback.BaseSequenceNumber);
        Assert.Equal(18, feedback.ReferenceTime);
        Assert.Equal(1, feedback.FeedbackPacketCount);
        Assert.Equal([ReceivedSmallDelta], feedback.PacketStatuses.ToArray());
        Assert.Equal([192], feedback.ReceiveDeltas.ToArray());
    }

    [Fact]
    public void PacketReportedLost_ArrivingLate_IsReportedAgainWithWhatFollows()
    {
        var recorder = new TransportWideCcRecorder();
        var feedback = new TransportWideCcFeedback();
        Record(recorder, 10, 1_000_000);
        Record(recorder, 12, 1_050_000);
        recorder.TryFillFeedback(feedback, Us(1_060_000));
        Assert.Equal([ReceivedSmallDelta, NotReceived, ReceivedSmallDelta], feedback.PacketStatuses.ToArray());

        Record(recorder, 11, 1_100_000);
        Assert.True(recorder.TryFillFeedback(feedback, Us(1_110_000)));

        // Reference ⌊1 100 000 / 64 000⌋ = 17 (1 088 000 µs): 12 000 µs = 48, then 12 arrived 50 ms earlier: -200.
        Assert.Equal(11, feedback.BaseSequenceNumber);
        Assert.Equal(17, feedback.ReferenceTime);
        Assert.Equal([ReceivedSmallDelta, ReceivedLargeDelta], feedback.PacketStatuses.ToArray());
        Assert.Equal([48, -200], feedback.ReceiveDeltas.ToArray());
    }

    [Fact]
    public void SequenceNumbers_WrapAround()
    {
        var recorder = new TransportWideCcRecorder();
        var feedback = new TransportWideCcFeedback();
        Record(recorder, 65534, 640_000);
        Record(recorder, 0, 640_250);
        Record(recorder, 1, 640_500);

        Assert.True(recorder.TryFillFeedback(feedback, Us(641_000)));

        Assert.Equal(65534, feedback.BaseSequenceNumber);
        Assert.Equal(10, feedback.ReferenceTime);
        Assert.Equal([ReceivedSmallDelta, NotReceived, ReceivedSmallDelta, ReceivedSmallDelta], feedback.PacketStatuses.ToArray());
        Assert.Equal([0, 1, 1], feedback.ReceiveDeltas.ToArray());
    }

    [Fact]
    public void DeltaBeyondSixteenBits_StartsANewFeedback()
    {
        var recorder = new TransportWideCcRecorder();
        var feedback = new TransportWideCcFeedback();
        Record(recorder, 1, 64_000);
        Record(recorder, 3, 64_000 + 8_192_000);

        Assert.True(recorder.TryFillFeedback(feedback, Us(9_000_000)));
        Assert.Equal([ReceivedSmallDelta], feedback.PacketStatuses.ToArray());
        Assert.Equal([0], feedback.ReceiveDeltas.ToArray());

        Assert.True(recorder.TryFillFeedback(feedback, Us(9_000_000)));
        Assert.Equal(2, feedback.BaseSequenceNumber);
        Assert.Equal(129, feedback.ReferenceTime);
        Assert.Equal([NotReceived, ReceivedSmallDelta], feedback.PacketStatuses.ToArray());
        Assert.Equal([0], feedback.ReceiveDeltas.ToArray());
    }

    [Fact]
    public void Feedback_StaysWithinTheMaximumLength()
    {
        var recorder = new TransportWideCcRecorder();
        var feedback = new TransportWideCcFeedback();
        for (int seq = 0; seq < 600; seq++)
        {
            Record(recorder, (ushort)seq, seq * 70_000L);
        }

        // 70 ms apart, every delta but the first takes two bytes: 20 + 2 × ⌈516 / 7⌉ + 1 + 515 × 2
        // = 1199, padded to 1200; one more packet would need 1204.
        Assert.True(recorder.TryFillFeedback(feedback, Us(42_000_000)));
        Assert.Equal(516, feedback.PacketStatuses.Length);
        Assert.Equal(516, feedback.ReceiveDeltas.Length);

        Assert.True(recorder.TryFillFeedback(feedback, Us(42_000_000)));
        Assert.Equal(516, feedback.BaseSequenceNumber);
        Assert.Equal(84, feedback.PacketStatuses.Length);
        Assert.False(recorder.TryFillFeedback(feedback, Us(42_000_000)));
    }

    [Fact]
    public void LongLoss_FitsInOneFeedback()
    {
        var recorder = new TransportWideCcRecorder();
        var feedback = new TransportWideCcFeedback();
        Record(recorder, 0, 0);
        Record(recorder, 4000, 10_000);

        Assert.True(recorder.TryFillFeedback(feedback, Us(20_000)));

        Assert.Equal(4001, feedback.PacketStatuses.Length);
        Assert.Equal(3999, feedback.PacketStatuses.ToArray().Count(status => status == NotReceived));
        Assert.Equal([0, 40], feedback.ReceiveDeltas.ToArray());
    }

    [Fact]
    public void FeedbackIsDue_AfterTheIntervalOrEnoughPackets()
    {
        var recorder = new TransportWideCcRecorder();
        var feedback = new TransportWideCcFeedback();
        Assert.Null(recorder.NextFeedbackTime);
        Assert.False(Record(recorder, 0, 0));

        Assert.Equal(Us(100_000), recorder.NextFeedbackTime);
        Assert.False(recorder.IsFeedbackDue(Us(99_999)));
        Assert.True(recorder.IsFeedbackDue(Us(100_000)));

        recorder.TryFillFeedback(feedback, Us(100_000));
        Assert.False(recorder.IsFeedbackDue(Us(300_000)));
        Assert.Null(recorder.NextFeedbackTime);

        for (int seq = 1; seq < TransportWideCcRecorder.FeedbackPacketThreshold; seq++)
        {
            Assert.False(Record(recorder, (ushort)seq, 100_000 + seq));
        }

        Assert.False(Record(recorder, 5, 150_000));
        Assert.True(Record(recorder, 100, 150_000));
        Assert.True(recorder.IsFeedbackDue(Us(150_000)));
        Assert.Equal(TransportWideCcRecorder.FeedbackPacketThreshold, recorder.PendingPackets);
    }

    [Fact]
    public void PacketsOlderThanTheWindow_AreIgnored()
    {
        var recorder = new TransportWideCcRecorder();
        var feedback = new TransportWideCcFeedback();
        Record(recorder, 5000, 0);

        Record(recorder, 5000 - TransportWideCcRecorder.MaxPacketStatusCount, 0);

        Assert.Equal(1, recorder.PendingPackets);
        Assert.True(recorder.TryFillFeedback(feedback, Us(0)));
        Assert.Equal(5000, feedback.BaseSequenceNumber);
    }

    [Fact]
    public void RecordingAndFeedback_DoNotAllocate()
    {
        var recorder = new TransportWideCcRecorder();
        var feedback = new TransportWideCcFeedback();
        ushort seq = 0;
        long now = 0;
        Exercise(recorder, feedback, ref seq, ref now);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            Exercise(recorder, feedback, ref seq, ref now);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Exercise(TransportWideCcRecorder recorder, TransportWideCcFeedback feedback, ref ushort seq, ref long now)
    {
        recorder.RecordPacket(seq, Us(now));
        recorder.RecordPacket((ushort)(seq - 3), Us(now - 100));
        seq += (ushort)(seq % 5 == 0 ? 2 : 1);
        now += 3_000;
        if (recorder.IsFeedbackDue(Us(now)))
        {
            recorder.TryFillFeedback(feedback, Us(now));
        }
    }

    private static bool Record(TransportWideCcRecorder recorder, ushort seq, long arrivalMicroseconds) =>
        recorder.RecordPacket(seq, Us(arrivalMicroseconds));

    private static TimeSpan Us(long microseconds) => TimeSpan.FromMicroseconds(microseconds);
}
