using System.Buffers.Binary;
using MediaEngine.Rtcp;
using static MediaEngine.Tests.Rtcp.RtcpVectors;

namespace MediaEngine.Tests.Rtcp;

public class TransportFeedbackTests
{
    private const long ReferenceUnit = FeedbackRtpTransportPacket.MicrosecondsPerReferenceTimeUnit;
    private const FeedbackRtpTransportStatus NotReceived = FeedbackRtpTransportStatus.NotReceived;
    private const FeedbackRtpTransportStatus Small = FeedbackRtpTransportStatus.SmallDelta;
    private const FeedbackRtpTransportStatus Large = FeedbackRtpTransportStatus.LargeDelta;

    [Fact]
    public void SingleDelta_IsRead()
    {
        Assert.True(FeedbackRtpTransportPacket.TryParse(Parse(TransportFeedbackSingleDelta), out FeedbackRtpTransportPacket feedback));

        Assert.Equal(4195875351u, feedback.SenderSsrc);
        Assert.Equal(1124282272u, feedback.MediaSsrc);
        Assert.Equal(153, feedback.BaseSequenceNumber);
        Assert.Equal(1, feedback.PacketStatusCount);
        Assert.Equal(4057090, feedback.ReferenceTime);
        Assert.Equal(23, feedback.FeedbackPacketCount);
        Assert.Equal([new(153, Small, 148, 4057090 * ReferenceUnit + 37_000)], Results(feedback));
    }

    [Fact]
    public void RunLengthChunk_IsRead()
    {
        Assert.True(FeedbackRtpTransportPacket.TryParse(Parse(TransportFeedbackRunLength), out FeedbackRtpTransportPacket feedback));

        Assert.Equal(1074030, feedback.ReferenceTime);
        Assert.Equal(1, feedback.FeedbackPacketCount);
        long arrival = 1074030 * ReferenceUnit;
        int[] deltas = [76, 36, 36, 16, 12, 12, 16];
        Assert.Equal(
            deltas.Select((delta, index) => new FeedbackRtpTransportPacketResult(
                (ushort)(4 + index), Small, (short)delta, arrival += delta * 250L)),
            Results(feedback));
    }

    [Fact]
    public void StatusVectorAndRunLengthChunks_AreRead()
    {
        Assert.True(FeedbackRtpTransportPacket.TryParse(Parse(TransportFeedbackMixedChunks), out FeedbackRtpTransportPacket feedback));

        long reference = 6551830 * ReferenceUnit;
        Assert.Equal(
            [
                new(34108, Small, 155, reference + 38_750),
                new(34109, Small, 170, reference + 81_250),
                new(34110, Small, 106, reference + 107_750),
                new(34111, Small, 170, reference + 150_250),
                new(34112, Small, 123, reference + 181_000),
                new(34113, NotReceived, 0, 0),
                new(34114, Large, 265, reference + 247_250),
                new(34115, NotReceived, 0, 0),
                new(34116, NotReceived, 0, 0),
            ],
            Results(feedback));
    }

    [Fact]
    public void NegativeReferenceTimeAndLargeDeltas_AreSigned()
    {
        byte[] buffer = new byte[32];
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, 0, 0, 0);
        Assert.True(builder.TryAddReceivedPacket(0, 8_000_000));
        Assert.True(builder.TryAddReceivedPacket(1, 1_000));
        int length = builder.Complete();
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(16), 0xFFFFFF00);

        Assert.True(FeedbackRtpTransportPacket.TryParse(Parse(buffer[..length]), out FeedbackRtpTransportPacket feedback));
        Assert.Equal(-1, feedback.ReferenceTime);
        Assert.Equal(
            [new(0, Large, 32_000, -ReferenceUnit + 8_000_000), new(1, Large, -31_996, -ReferenceUnit + 1_000)],
            Results(feedback));
    }

    [Fact]
    public void ReservedStatusSymbol_IsRejected()
    {
        byte[] datagram = TransportFeedbackRunLength;
        datagram[20] = 0x60;

        Assert.False(FeedbackRtpTransportPacket.TryParse(Parse(datagram), out _));
    }

    [Fact]
    public void ChunksShortOfTheStatusCount_AreRejected()
    {
        byte[] datagram = TransportFeedbackSingleDelta;
        datagram[15] = 3;

        Assert.False(FeedbackRtpTransportPacket.TryParse(Parse(datagram), out _));
    }

    [Fact]
    public void DeltasRunningIntoThePadding_AreRejected()
    {
        byte[] datagram = TransportFeedbackRunLength;
        datagram[^1] = 4;

        Assert.False(FeedbackRtpTransportPacket.TryParse(Parse(datagram), out _));
    }

    [Fact]
    public void EmptyFeedback_IsRead()
    {
        byte[] datagram = [0x8F, 0xCD, 0x00, 0x04, 0x9A, 0xCB, 0x04, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.True(FeedbackRtpTransportPacket.TryParse(Parse(datagram), out FeedbackRtpTransportPacket feedback));
        Assert.Empty(Results(feedback));
    }

    [Fact]
    public void Builder_ReproducesChromesRunLengthFeedbackUpToPadding()
    {
        byte[] buffer = new byte[64];
        long arrival = 1074030 * ReferenceUnit;
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 4195875351, 423483579, 4, arrival + 12_345, 1);
        foreach ((ushort sequenceNumber, int delta) in new (ushort, int)[] { (4, 76), (5, 36), (6, 36), (7, 16), (8, 12), (9, 12), (10, 16) })
        {
            arrival += delta * 250L;
            Assert.True(builder.TryAddReceivedPacket(sequenceNumber, arrival + 100));
        }

        int length = builder.Complete();

        byte[] expected = TransportFeedbackRunLength;
        expected[0] = 0x8F;
        expected[^1] = 0x00;
        Assert.Equal(expected, buffer[..length]);
    }

    [Fact]
    public void Builder_ReproducesTheSingleDeltaFeedbackUpToPadding()
    {
        byte[] buffer = new byte[24];
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 4195875351, 1124282272, 153, 4057090 * ReferenceUnit, 23);
        Assert.True(builder.TryAddReceivedPacket(153, 4057090 * ReferenceUnit + 37_000));

        Assert.Equal(24, builder.Complete());

        byte[] expected = TransportFeedbackSingleDelta;
        expected[0] = 0x8F;
        expected[^1] = 0x00;
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void OneBitVector_IsChosenForFourteenSmallOrLostStatuses()
    {
        // draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.4, first example, minus the two trailing losses.
        int[] receivedOffsets = [1, 2, 3, 4, 5, 9, 10, 11];

        byte[] packet = Build(receivedOffsets.Select(offset => ((ushort)offset, offset * 1_000L)));

        Assert.Equal(new byte[] { 0x9F, 0x1C }, packet[20..22]);
        Assert.Equal(12, PacketStatusCount(packet));
    }

    [Fact]
    public void TwoBitVector_IsChosenWhenALargeDeltaIsMixedIn()
    {
        byte[] packet = Build([(0, 1_000), (1, 100_000), (2, 100_250)]);

        Assert.Equal(new byte[] { 0xD9, 0x00 }, packet[20..22]);
        Assert.Equal([Small, Large, Small], Results(packet).Select(result => result.Status));
    }

    [Fact]
    public void LargeDeltaAfterSevenMixedStatuses_SplitsOffATwoBitVector()
    {
        byte[] packet = Build([(0, 0), (1, 0), (2, 0), (8, 100_000)]);

        Assert.Equal(new byte[] { 0xD5, 0x00, 0xC8, 0x00 }, packet[20..24]);
        Assert.Equal(
            [Small, Small, Small, NotReceived, NotReceived, NotReceived, NotReceived, NotReceived, Large],
            Results(packet).Select(result => result.Status));
    }

    [Fact]
    public void RepeatedStatuses_BecomeRunLengthChunks()
    {
        var received = Enumerable.Range(0, 20).Select(index => ((ushort)index, index * 250L)).Append(((ushort)10_020, 30_000L));

        byte[] packet = Build(received);

        // 20 received, 8191 (the longest run) lost, 1809 lost, 1 received.
        Assert.Equal(new byte[] { 0x20, 0x14, 0x1F, 0xFF, 0x07, 0x11, 0x20, 0x01 }, packet[20..28]);
        Assert.Equal(52, packet.Length);
        FeedbackRtpTransportPacketResult[] results = Results(packet);
        Assert.Equal(10_021, results.Length);
        Assert.Equal(21, results.Count(result => result.IsReceived));
        Assert.Equal(new FeedbackRtpTransportPacketResult(10_020, Small, 101, 30_000), results[^1]);
    }

    [Fact]
    public void RandomArrivals_RoundTripWithinHalfATick()
    {
        var random = new Random(4585);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            ushort sequenceNumber = (ushort)random.Next(65536);
            long arrival = random.NextInt64(1_000_000_000, 10_000_000_000);
            var sent = new List<(ushort, long)>();
            int count = random.Next(1, 300);
            for (int index = 0; index < count; index++)
            {
                sequenceNumber += (ushort)(random.Next(4) == 0 ? random.Next(2, 30) : 1);
                arrival += random.Next(10) == 0 ? random.Next(-50_000, 500_000) : random.Next(0, 70_000);
                sent.Add((sequenceNumber, arrival));
            }

            ushort baseSequenceNumber = (ushort)(sent[0].Item1 - random.Next(3));
            byte[] buffer = new byte[4096];
            var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, baseSequenceNumber, sent[0].Item2 - random.Next(1_000_000), 9);
            foreach ((ushort received, long at) in sent)
            {
                Assert.True(builder.TryAddReceivedPacket(received, at));
            }

            int length = builder.Complete();
            Assert.Equal(0, length % 4);
            FeedbackRtpTransportPacketResult[] results = Results(buffer[..length]);
            Assert.Equal(builder.PacketStatusCount, results.Length);
            var receivedResults = results.Where(result => result.IsReceived).ToArray();
            Assert.Equal(sent.Select(packet => packet.Item1), receivedResults.Select(result => result.SequenceNumber));
            for (int index = 0; index < sent.Count; index++)
            {
                Assert.InRange(sent[index].Item2 - receivedResults[index].ArrivalTimeMicroseconds, -125, 125);
            }
        }
    }

    [Fact]
    public void PacketThatWouldNotFit_IsRefusedAndTheBuilderStaysUsable()
    {
        byte[] buffer = new byte[24];
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, 100, 0, 0);
        Assert.True(builder.TryAddReceivedPacket(100, 1_000));
        Assert.True(builder.TryAddReceivedPacket(101, 2_000));

        Assert.False(builder.TryAddReceivedPacket(102, 3_000));
        Assert.False(builder.TryAddReceivedPacket(110, 3_000));
        Assert.Equal(2, builder.PacketStatusCount);
        int length = builder.Complete();

        Assert.Equal(24, length);
        Assert.Equal(
            [new(100, Small, 4, 1_000), new(101, Small, 4, 2_000)],
            Results(buffer));
    }

    [Fact]
    public void OutOfOrderOrRepeatedSequenceNumbers_AreRefused()
    {
        byte[] buffer = new byte[64];
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, 100, 0, 0);

        Assert.False(builder.TryAddReceivedPacket(99, 1_000));
        Assert.True(builder.TryAddReceivedPacket(102, 1_000));
        Assert.False(builder.TryAddReceivedPacket(102, 2_000));
        Assert.False(builder.TryAddReceivedPacket(101, 2_000));
        Assert.Equal(3, builder.PacketStatusCount);
    }

    [Fact]
    public void DeltaBeyondSixteenBitsOfTicks_IsRefused()
    {
        byte[] buffer = new byte[64];
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, 0, 0, 0);
        Assert.True(builder.TryAddReceivedPacket(0, 0));

        Assert.False(builder.TryAddReceivedPacket(1, 8_192_000));
        Assert.True(builder.TryAddReceivedPacket(1, 8_191_750));
        Assert.False(builder.TryAddReceivedPacket(2, 8_191_750 - 8_192_250));
        Assert.Equal(2, builder.PacketStatusCount);
    }

    [Fact]
    public void BuilderMisuse_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FeedbackRtpTransportPacketBuilder(new byte[19], 1, 2, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedbackRtpTransportPacketBuilder(new byte[64], 1, 2, 0, -1, 0));
        Assert.Throws<InvalidOperationException>(() =>
        {
            var builder = new FeedbackRtpTransportPacketBuilder(new byte[64], 1, 2, 0, 0, 0);
            builder.Complete();
            builder.TryAddReceivedPacket(0, 0);
        });
    }

    private static byte[] Build(IEnumerable<(ushort SequenceNumber, long ArrivalTime)> received)
    {
        byte[] buffer = new byte[1500];
        var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, 2, 0, 0, 0);
        foreach ((ushort sequenceNumber, long arrivalTime) in received)
        {
            Assert.True(builder.TryAddReceivedPacket(sequenceNumber, arrivalTime));
        }

        return buffer[..builder.Complete()];
    }

    private static int PacketStatusCount(byte[] packet)
    {
        Assert.True(FeedbackRtpTransportPacket.TryParse(Parse(packet), out FeedbackRtpTransportPacket feedback));
        return feedback.PacketStatusCount;
    }

    private static FeedbackRtpTransportPacketResult[] Results(byte[] packet)
    {
        Assert.True(FeedbackRtpTransportPacket.TryParse(Parse(packet), out FeedbackRtpTransportPacket feedback));
        return Results(feedback);
    }

    private static FeedbackRtpTransportPacketResult[] Results(FeedbackRtpTransportPacket feedback)
    {
        var results = new List<FeedbackRtpTransportPacketResult>();
        foreach (FeedbackRtpTransportPacketResult result in feedback.Results)
        {
            results.Add(result);
        }

        return [.. results];
    }
}
