using MediaEngine.Sctp;

namespace MediaEngine.Tests.Sctp;

public class DataChannelTests
{
    [Fact]
    public void Open_RoundTrips()
    {
        var open = new DataChannelOpenMessage(DataChannelType.PartialReliableRexmitUnordered, 256, 3, "chat ✓", "json");
        var bytes = open.ToArray();
        Assert.Equal(open.Length, bytes.Length);
        Assert.Equal((byte)DataChannelMessageType.Open, bytes[0]);
        Assert.True(DataChannelOpenMessage.TryParse(bytes, out var parsed));
        Assert.Equal(open, parsed);
        Assert.False(parsed.IsOrdered);
    }

    [Fact]
    public void Open_MatchesTheRfc8832Layout()
    {
        var bytes = new DataChannelOpenMessage(DataChannelType.Reliable, 0x0102, 0x03040506, "ab", "c").ToArray();
        Assert.Equal([0x03, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x00, 0x02, 0x00, 0x01, (byte)'a', (byte)'b', (byte)'c'], bytes);
    }

    [Theory]
    [InlineData(new byte[] { 0x03 })]
    [InlineData(new byte[] { 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, (byte)'a' })]
    [InlineData(new byte[] { 0x03, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0xFF })]
    [InlineData(new byte[] { 0x02 })]
    public void Open_Malformed_IsRefused(byte[] message) => Assert.False(DataChannelOpenMessage.TryParse(message, out _));

    [Fact]
    public void Ack_IsOneByte()
    {
        Assert.True(DataChannelOpenMessage.IsAck(DataChannelOpenMessage.AckMessage));
        Assert.False(DataChannelOpenMessage.IsAck([0x02, 0x00]));
    }

    [Fact]
    public void Ppids_FollowRfc8831()
    {
        Assert.Equal(DataChannelPpid.String, DataChannelPpids.ForMessage(isBinary: false, 3));
        Assert.Equal(DataChannelPpid.StringEmpty, DataChannelPpids.ForMessage(isBinary: false, 0));
        Assert.Equal(DataChannelPpid.Binary, DataChannelPpids.ForMessage(isBinary: true, 3));
        Assert.Equal(DataChannelPpid.BinaryEmpty, DataChannelPpids.ForMessage(isBinary: true, 0));
        Assert.True(DataChannelPpids.IsEmptyMessage(57));
        Assert.True(DataChannelPpids.IsBinary(52));
        Assert.False(DataChannelPpids.IsBinary(54));
        Assert.Equal([0], DataChannelPpids.EmptyMessagePayload.ToArray());
        Assert.Equal(50u, (uint)DataChannelPpid.Dcep);
    }

    [Theory]
    [InlineData(true, null, null, DataChannelType.Reliable, 0u)]
    [InlineData(false, null, null, DataChannelType.ReliableUnordered, 0u)]
    [InlineData(true, null, (ushort)4, DataChannelType.PartialReliableRexmit, 4u)]
    [InlineData(false, null, (ushort)0, DataChannelType.PartialReliableRexmitUnordered, 0u)]
    [InlineData(true, (ushort)1500, null, DataChannelType.PartialReliableTimed, 1500u)]
    [InlineData(false, (ushort)100, null, DataChannelType.PartialReliableTimedUnordered, 100u)]
    public void StreamParameters_MapToChannelTypeAndBack(
        bool ordered, ushort? maxPacketLifeTime, ushort? maxRetransmits, DataChannelType channelType, uint reliability)
    {
        var parameters = new SctpStreamParameters(12, ordered, maxPacketLifeTime, maxRetransmits);
        Assert.Equal(channelType, parameters.ChannelType);
        Assert.Equal(reliability, parameters.ReliabilityParameter);
        var open = parameters.ToDataChannelOpen("label", "");
        Assert.Equal(parameters, SctpStreamParameters.FromDataChannelOpen(12, open));
    }

    [Fact]
    public void StreamParameters_FollowMediasoupValidation()
    {
        Assert.True(SctpStreamParameters.FromMediasoup(1, null, null, null).Ordered);
        Assert.False(SctpStreamParameters.FromMediasoup(1, null, 100, null).Ordered);
        Assert.Throws<ArgumentException>(() => SctpStreamParameters.FromMediasoup(1, true, null, 2));
        Assert.Throws<ArgumentException>(() => new SctpStreamParameters(1, false, 100, 2));
    }

    [Fact]
    public void StreamParameters_CapAHugeReliabilityParameter()
    {
        var open = new DataChannelOpenMessage(DataChannelType.PartialReliableTimed, 0, 100_000, "", "");
        Assert.Equal((ushort)65535, SctpStreamParameters.FromDataChannelOpen(0, open).MaxPacketLifeTime);
    }
}
