using MediaEngine.Rtcp;
using static MediaEngine.Tests.Rtcp.RtcpVectors;

namespace MediaEngine.Tests.Rtcp;

public class CompoundPacketTests
{
    [Fact]
    public void RealCompoundPacket_YieldsEveryPacketInOrder()
    {
        var packets = new List<(RtcpPacketType, int, int)>();
        var enumerator = new CompoundPacket(RealCompoundPacket).GetEnumerator();
        while (enumerator.MoveNext())
        {
            packets.Add((enumerator.Current.Type, enumerator.Current.Count, enumerator.Current.Length));
        }

        Assert.True(enumerator.ReachedEnd);
        Assert.Equal(
            [
                (RtcpPacketType.ReceiverReport, 1, 32),
                (RtcpPacketType.SourceDescription, 1, 52),
                (RtcpPacketType.Bye, 1, 8),
                (RtcpPacketType.PayloadSpecificFeedback, 1, 12),
                (RtcpPacketType.RtpFeedback, 5, 12),
                (RtcpPacketType.ApplicationDefined, 0, 16),
            ],
            packets);
    }

    [Fact]
    public void EveryTruncation_YieldsOnlyWholePacketsAndNeverThrows()
    {
        byte[] datagram = RealCompoundPacket;
        int[] packetEnds = [32, 84, 92, 104, 116, 132];

        for (int length = 0; length <= datagram.Length; length++)
        {
            int delivered = 0;
            var enumerator = new CompoundPacket(datagram.AsSpan(0, length)).GetEnumerator();
            while (enumerator.MoveNext())
            {
                delivered += enumerator.Current.Length;
            }

            Assert.Equal(packetEnds.LastOrDefault(end => end <= length), delivered);
            Assert.Equal(packetEnds.Contains(length) || length == 0, enumerator.ReachedEnd);
        }
    }

    [Fact]
    public void PacketAfterAMalformedOne_IsNotReached()
    {
        byte[] datagram = RealCompoundPacket;
        datagram[84] = 0x41;

        int count = 0;
        var enumerator = new CompoundPacket(datagram).GetEnumerator();
        while (enumerator.MoveNext())
        {
            count++;
        }

        Assert.Equal(2, count);
        Assert.False(enumerator.ReachedEnd);
    }

    [Fact]
    public void Padding_IsExcludedFromTheBody()
    {
        RtcpPacket packet = Parse(TransportFeedbackRunLength);

        Assert.True(packet.HasPadding);
        Assert.Equal(TransportFeedbackRunLength.Length - 4 - 3, packet.Body.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(29)]
    public void PaddingCountOfZeroOrBeyondTheBody_IsRejected(byte paddingCount)
    {
        byte[] datagram = TransportFeedbackRunLength;
        datagram[^1] = paddingCount;

        Assert.False(RtcpPacket.TryParse(datagram, out _));
    }

    [Fact]
    public void PaddingCoveringTheWholeBody_IsAccepted()
    {
        byte[] datagram = TransportFeedbackRunLength;
        datagram[^1] = 28;

        Assert.True(RtcpPacket.TryParse(datagram, out RtcpPacket packet));
        Assert.True(packet.Body.IsEmpty);
    }

    [Fact]
    public void WrongVersion_IsRejected()
    {
        byte[] datagram = Nack;
        datagram[0] = 0x41;

        Assert.False(RtcpPacket.TryParse(datagram, out _));
    }
}
