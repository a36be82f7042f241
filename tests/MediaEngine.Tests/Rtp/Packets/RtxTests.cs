using MediaEngine.Rtp.Packets;
using static MediaEngine.Tests.Rtp.Packets.LibwebrtcRtpVectors;

namespace MediaEngine.Tests.Rtp.Packets;

public class RtxTests
{
    private const byte RtxPayloadType = 97;
    private const uint RtxSsrc = 0xAABBCCDD;
    private const ushort RtxSequenceNumber = 0x0F00;

    [Fact]
    public void Encode_PrependsTheOriginalSequenceNumberAndDropsPadding()
    {
        byte[] buffer = new byte[64];
        PacketWithCsrcsExtensionAndPadding.CopyTo(buffer);
        Assert.True(RtpPacket.TryParse(buffer, PacketWithCsrcsExtensionAndPadding.Length, out RtpPacket packet));

        Assert.True(packet.TryRtxEncode(RtxPayloadType, RtxSsrc, RtxSequenceNumber));

        Assert.Equal(RtxPayloadType, packet.PayloadType);
        Assert.Equal(RtxSsrc, packet.Ssrc);
        Assert.Equal(RtxSequenceNumber, packet.SequenceNumber);
        Assert.Equal(Timestamp, packet.Timestamp);
        Assert.Equal(0, packet.PaddingLength);
        Assert.Equal([0x12, 0x34, .. "payload"u8], packet.Payload.ToArray());
        Assert.True(RtpPacket.TryParse(packet.Data, out RtpPacket reparsed));
        Assert.Equal(0x92, reparsed.Data[0]);
        Assert.Equal(packet.Payload.ToArray(), reparsed.Payload.ToArray());
        Assert.True(reparsed.TryGetHeaderExtension(TransmissionOffsetId, out _));
    }

    [Fact]
    public void EncodeThenDecode_RestoresTheUnpaddedOriginal()
    {
        byte[] original = PacketWithTransmissionOffsetAndAudioLevel;
        byte[] withPayload = [.. original, 1, 2, 3, 4, 5];
        withPayload[1] |= 0x80;
        byte[] buffer = new byte[withPayload.Length + RtpPacket.OriginalSequenceNumberLength];
        withPayload.CopyTo(buffer);
        Assert.True(RtpPacket.TryParse(buffer, withPayload.Length, out RtpPacket packet));

        Assert.True(packet.TryRtxEncode(RtxPayloadType, RtxSsrc, RtxSequenceNumber));
        Assert.Equal(buffer.Length, packet.Length);
        Assert.True(packet.TryRtxDecode(PayloadType, Ssrc));

        Assert.Equal(withPayload, packet.Data.ToArray());
        Assert.True(packet.Marker);
    }

    [Fact]
    public void EncodeWithoutRoom_FailsWithoutChangingThePacket()
    {
        byte[] datagram = [.. MinimumPacket, 1, 2, 3];
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.False(packet.TryRtxEncode(RtxPayloadType, RtxSsrc, RtxSequenceNumber));

        Assert.Equal([.. MinimumPacket, 1, 2, 3], datagram);
    }

    [Fact]
    public void EncodeUsesRoomFreedByPadding()
    {
        byte[] datagram = PacketWithCsrcsExtensionAndPadding;
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.True(packet.TryRtxEncode(RtxPayloadType, RtxSsrc, RtxSequenceNumber));
        Assert.True(packet.TryRtxDecode(PayloadType, Ssrc));

        Assert.Equal("payload"u8.ToArray(), packet.Payload.ToArray());
        Assert.Equal(SequenceNumber, packet.SequenceNumber);
    }

    [Fact]
    public void DecodeOfAPayloadShorterThanTheOriginalSequenceNumber_Fails()
    {
        byte[] datagram = [.. MinimumPacket, 7];
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.False(packet.TryRtxDecode(PayloadType, Ssrc));

        Assert.Equal([.. MinimumPacket, 7], datagram);
    }
}
