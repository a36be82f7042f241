using MediaEngine.Rtp.Packets;
using static MediaEngine.Tests.Rtp.Packets.LibwebrtcRtpVectors;

namespace MediaEngine.Tests.Rtp.Packets;

public class RtpPacketTests
{
    [Fact]
    public void MinimumPacket_ParsesTheFixedHeader()
    {
        Assert.True(RtpPacket.TryParse(MinimumPacket, out RtpPacket packet));

        Assert.False(packet.Marker);
        Assert.Equal(PayloadType, packet.PayloadType);
        Assert.Equal(SequenceNumber, packet.SequenceNumber);
        Assert.Equal(Timestamp, packet.Timestamp);
        Assert.Equal(Ssrc, packet.Ssrc);
        Assert.Equal(0, packet.CsrcCount);
        Assert.Equal(RtpHeaderExtensionForm.None, packet.HeaderExtensionForm);
        Assert.Equal(RtpPacket.FixedHeaderLength, packet.HeaderLength);
        Assert.True(packet.Payload.IsEmpty);
        Assert.Equal(0, packet.PaddingLength);
    }

    [Fact]
    public void CsrcsExtensionPayloadAndPadding_AreLocated()
    {
        Assert.True(RtpPacket.TryParse(PacketWithCsrcsExtensionAndPadding, out RtpPacket packet));

        Assert.Equal(2, packet.CsrcCount);
        Assert.Equal(0x34567890u, packet.GetCsrc(0));
        Assert.Equal(0x32435465u, packet.GetCsrc(1));
        Assert.Equal(28, packet.HeaderLength);
        Assert.Equal("payload"u8.ToArray(), packet.Payload.ToArray());
        Assert.Equal(8, packet.PaddingLength);
        Assert.True(packet.TryGetHeaderExtension(TransmissionOffsetId, out Span<byte> offset));
        Assert.Equal(new byte[] { 0x00, 0x56, 0xCE }, offset.ToArray());
    }

    [Fact]
    public void PionPacketWithANonRfc8285Profile_HasNoReadableElements()
    {
        byte[] datagram =
        [
            0x90, 0xE0, 0x69, 0x8F, 0xD9, 0xC2, 0x93, 0xDA, 0x1C, 0x64, 0x27, 0x82,
            0x00, 0x01, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x98, 0x36, 0xBE, 0x88, 0x9E,
        ];

        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.True(packet.Marker);
        Assert.Equal(96, packet.PayloadType);
        Assert.Equal(27023, packet.SequenceNumber);
        Assert.Equal(3653407706u, packet.Timestamp);
        Assert.Equal(476325762u, packet.Ssrc);
        Assert.Equal(RtpHeaderExtensionForm.Unknown, packet.HeaderExtensionForm);
        Assert.False(packet.HeaderExtensions.MoveNext());
        Assert.Equal(20, packet.HeaderLength);
        Assert.Equal(new byte[] { 0x98, 0x36, 0xBE, 0x88, 0x9E }, packet.Payload.ToArray());
    }

    [Fact]
    public void EveryTruncation_IsRejected()
    {
        byte[] datagram = PacketWithCsrcsExtensionAndPadding;

        for (int length = 0; length < datagram.Length; length++)
        {
            Assert.False(RtpPacket.TryParse(datagram.AsSpan(0, length), out _), $"accepted {length} bytes");
        }
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x40)]
    [InlineData(0xC0)]
    public void VersionOtherThanTwo_IsRejected(byte firstByte)
    {
        byte[] datagram = MinimumPacket;
        datagram[0] = firstByte;

        Assert.False(RtpPacket.TryParse(datagram, out _));
    }

    [Fact]
    public void CsrcCountBeyondThePacket_IsRejected()
    {
        byte[] datagram = [.. MinimumPacket, 1, 2, 3, 4];
        datagram[0] = 0x82;

        Assert.False(RtpPacket.TryParse(datagram, out _));
    }

    [Fact]
    public void ExtensionLengthBeyondThePacket_IsRejected()
    {
        byte[] datagram = PacketWithTransmissionOffsetAndAudioLevel;
        datagram[15] = 3;

        Assert.False(RtpPacket.TryParse(datagram, out _));
    }

    [Fact]
    public void ZeroPaddingCount_IsRejected()
    {
        byte[] datagram = PacketWithCsrcsExtensionAndPadding;
        datagram[^1] = 0;

        Assert.False(RtpPacket.TryParse(datagram, out _));
    }

    [Fact]
    public void PaddingReachingIntoTheHeader_IsRejected()
    {
        byte[] datagram = PacketWithCsrcsExtensionAndPadding;
        datagram[^1] = 16;

        Assert.False(RtpPacket.TryParse(datagram, out _));
    }

    [Fact]
    public void PaddingFillingTheWholePayloadArea_IsAccepted()
    {
        byte[] datagram = PacketWithCsrcsExtensionAndPadding;
        datagram[^1] = 15;

        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));
        Assert.True(packet.Payload.IsEmpty);
    }

    [Fact]
    public void LengthBeyondTheBuffer_IsRejected()
    {
        Assert.False(RtpPacket.TryParse(MinimumPacket, 13, out _));
    }

    [Fact]
    public void HeaderFields_AreRewrittenInPlace()
    {
        byte[] datagram = PacketWithCsrcsExtensionAndPadding;
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        packet.Marker = true;
        packet.PayloadType = 111;
        packet.SequenceNumber = 0xFFFF;
        packet.Timestamp = 0xDEADBEEF;
        packet.Ssrc = 0xCAFEBABE;
        packet.SetCsrc(1, 0x01020304);

        Assert.Equal(
            new byte[] { 0xB2, 0x80 | 111, 0xFF, 0xFF, 0xDE, 0xAD, 0xBE, 0xEF, 0xCA, 0xFE, 0xBA, 0xBE, 0x34, 0x56, 0x78, 0x90, 0x01, 0x02, 0x03, 0x04 },
            datagram[..20]);
        Assert.Equal(PacketWithCsrcsExtensionAndPadding[20..], datagram[20..]);

        packet.Marker = false;
        Assert.Equal(111, packet.PayloadType);
        Assert.Equal(111, datagram[1]);
    }

    [Fact]
    public void OutOfRangeArguments_Throw()
    {
        Assert.True(RtpPacket.TryParse(PacketWithCsrcsExtensionAndPadding, out RtpPacket packet));

        Assert.Throws<ArgumentOutOfRangeException>(() => SetPayloadType(PacketWithCsrcsExtensionAndPadding, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => GetCsrc(PacketWithCsrcsExtensionAndPadding, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => GetCsrc(PacketWithCsrcsExtensionAndPadding, -1));
        Assert.Equal(0x32435465u, packet.GetCsrc(1));

        static void SetPayloadType(byte[] datagram, byte payloadType)
        {
            RtpPacket.TryParse(datagram, out RtpPacket packet);
            packet.PayloadType = payloadType;
        }

        static uint GetCsrc(byte[] datagram, int index)
        {
            RtpPacket.TryParse(datagram, out RtpPacket packet);
            return packet.GetCsrc(index);
        }
    }

    [Fact]
    public void Padding_IsReplacedAndRemoved()
    {
        byte[] buffer = new byte[64];
        PacketWithCsrcsExtensionAndPadding.CopyTo(buffer);
        Assert.True(RtpPacket.TryParse(buffer, PacketWithCsrcsExtensionAndPadding.Length, out RtpPacket packet));

        Assert.True(packet.TrySetPaddingLength(0));
        Assert.Equal(35, packet.Length);
        Assert.Equal(0x92, buffer[0]);
        Assert.True(RtpPacket.TryParse(packet.Data, out RtpPacket unpadded));
        Assert.Equal(0, unpadded.PaddingLength);
        Assert.Equal("payload"u8.ToArray(), unpadded.Payload.ToArray());

        Assert.True(packet.TrySetPaddingLength(29));
        Assert.Equal(64, packet.Length);
        Assert.Equal(0xB2, buffer[0]);
        Assert.Equal(29, buffer[63]);
        Assert.All(buffer[35..63], value => Assert.Equal(0, value));
        Assert.True(RtpPacket.TryParse(packet.Data, out RtpPacket padded));
        Assert.Equal(29, padded.PaddingLength);
        Assert.Equal("payload"u8.ToArray(), padded.Payload.ToArray());

        Assert.False(packet.TrySetPaddingLength(30));
        Assert.Equal(64, packet.Length);
        Assert.Equal(29, packet.PaddingLength);
    }
}
