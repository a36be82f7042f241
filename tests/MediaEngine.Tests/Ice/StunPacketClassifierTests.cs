using MediaEngine.Ice;

namespace MediaEngine.Tests.Ice;

public class StunPacketClassifierTests
{
    [Theory]
    [InlineData(0, PacketKind.Stun)]
    [InlineData(3, PacketKind.Stun)]
    [InlineData(4, PacketKind.Unknown)]
    [InlineData(16, PacketKind.Unknown)]
    [InlineData(19, PacketKind.Unknown)]
    [InlineData(20, PacketKind.Dtls)]
    [InlineData(22, PacketKind.Dtls)]
    [InlineData(63, PacketKind.Dtls)]
    [InlineData(64, PacketKind.Unknown)]
    [InlineData(127, PacketKind.Unknown)]
    [InlineData(128, PacketKind.RtpOrRtcp)]
    [InlineData(191, PacketKind.RtpOrRtcp)]
    [InlineData(192, PacketKind.Unknown)]
    [InlineData(255, PacketKind.Unknown)]
    public void FirstByteRanges_FollowRfc7983(byte firstByte, PacketKind expected)
    {
        Assert.Equal(expected, StunPacketClassifier.Classify(firstByte));
    }

    [Fact]
    public void RfcSamples_AreStun()
    {
        Assert.True(StunPacketClassifier.IsStun(Rfc5769Vectors.SampleRequest));
        Assert.True(StunPacketClassifier.IsStun(Rfc5769Vectors.SampleIPv4Response));
    }

    [Fact]
    public void ShortDatagramsOrMissingCookie_AreNotStun()
    {
        byte[] noCookie = (byte[])Rfc5769Vectors.SampleRequest.Clone();
        noCookie[4] = 0;

        Assert.False(StunPacketClassifier.IsStun(Rfc5769Vectors.SampleRequest.AsSpan(0, 19)));
        Assert.False(StunPacketClassifier.IsStun(noCookie));
        Assert.False(StunPacketClassifier.IsStun(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void DtlsRecord_IsNotStun()
    {
        byte[] clientHello = new byte[32];
        clientHello[0] = 22;
        clientHello[1] = 0xFE;
        clientHello[2] = 0xFD;

        Assert.False(StunPacketClassifier.IsStun(clientHello));
        Assert.Equal(PacketKind.Dtls, StunPacketClassifier.Classify(clientHello[0]));
    }

    [Theory]
    [InlineData(0x80, 200, true)]  // sender report
    [InlineData(0x81, 201, true)]  // receiver report
    [InlineData(0x8F, 206, true)]  // payload-specific feedback
    [InlineData(0x80, 192, true)]
    [InlineData(0x80, 223, true)]
    [InlineData(0x80, 191, false)] // RTP, marker set, payload type 63
    [InlineData(0x80, 224, false)] // RTP, marker set, payload type 96
    [InlineData(0x80, 96, false)]  // RTP, payload type 96
    [InlineData(0x80, 111, false)] // RTP, Opus
    [InlineData(0x00, 200, false)] // not RTP/RTCP at all
    public void RtcpIsToldApartFromRtpByTheSecondByte(byte firstByte, byte secondByte, bool isRtcp)
    {
        Assert.Equal(isRtcp, StunPacketClassifier.IsRtcp([firstByte, secondByte, 0, 0]));
    }

    [Fact]
    public void OneBytePacket_IsNotRtcp()
    {
        Assert.False(StunPacketClassifier.IsRtcp([0x80]));
    }
}
