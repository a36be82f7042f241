using System.Text;
using MediaEngine.Rtp.Packets;
using static MediaEngine.Tests.Rtp.Packets.LibwebrtcRtpVectors;

namespace MediaEngine.Tests.Rtp.Packets;

public class RtpHeaderExtensionTests
{
    /// <summary>
    /// One-byte block after RFC 8285 §4.2: id 1 (1 byte), padding, id 2 (4 bytes), id 3 (16 bytes,
    /// the maximum), padding to the word boundary.
    /// </summary>
    private static byte[] OneBytePacket =>
    [
        0x90, 96, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
        0xBE, 0xDE, 0x00, 0x07,
        0x10, 0xAA, 0x00, 0x23, 0x01, 0x02, 0x03, 0x04,
        0x3F, .. Enumerable.Range(0x40, 16).Select(value => (byte)value), 0x00, 0x00, 0x00,
        0xCA, 0xFE,
    ];

    /// <summary>Two-byte block after RFC 8285 §4.3: id 1 empty, padding, id 200 (2 bytes), id 3 (3 bytes).</summary>
    private static byte[] TwoBytePacket =>
    [
        0x90, 96, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
        0x10, 0x05, 0x00, 0x04,
        0x01, 0x00, 0x00, 0xC8, 0x02, 0xBB, 0xCC, 0x03,
        0x03, 0x11, 0x22, 0x33, 0x00, 0x00, 0x00, 0x00,
        0xCA, 0xFE,
    ];

    [Fact]
    public void OneByteElements_AreEnumeratedSkippingPadding()
    {
        Assert.True(RtpPacket.TryParse(OneBytePacket, out RtpPacket packet));
        Assert.Equal(RtpHeaderExtensionForm.OneByte, packet.HeaderExtensionForm);

        Assert.Equal(
            [(1, "AA"), (2, "01020304"), (3, "404142434445464748494A4B4C4D4E4F")],
            Elements(packet));
        Assert.Equal(new byte[] { 0xCA, 0xFE }, packet.Payload.ToArray());
    }

    [Fact]
    public void TwoByteElements_AreEnumeratedIncludingEmptyValues()
    {
        Assert.True(RtpPacket.TryParse(TwoBytePacket, out RtpPacket packet));
        Assert.Equal(RtpHeaderExtensionForm.TwoByte, packet.HeaderExtensionForm);

        Assert.Equal([(1, ""), (200, "BBCC"), (3, "112233")], Elements(packet));
    }

    [Fact]
    public void LibwebrtcTwoBytePacket_ExposesEveryExtension()
    {
        Assert.True(RtpPacket.TryParse(PacketWithTwoByteExtensionIdLast, out RtpPacket packet));

        Assert.Equal([(1, "0056CE"), (9, "DA"), (0xF0, "003022")], Elements(packet));
        Assert.True(packet.TryReadSsrcAudioLevel(AudioLevelId, out byte level, out bool voice));
        Assert.Equal(AudioLevel, level);
        Assert.True(voice);
    }

    [Fact]
    public void OneByteIdFifteen_StopsProcessing()
    {
        byte[] datagram = OneBytePacket;
        datagram[18] = 0xF0;

        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));
        Assert.Equal([(1, "AA")], Elements(packet));
        Assert.False(packet.TryGetHeaderExtension(2, out _));
    }

    [Fact]
    public void OneByteIdZero_IsASinglePaddingByteWhateverItsLengthBits()
    {
        byte[] datagram = OneBytePacket;
        datagram[18] = 0x05;

        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));
        Assert.Equal(3, Elements(packet).Count);
    }

    [Fact]
    public void ElementRunningPastTheBlock_EndsEnumeration()
    {
        byte[] datagram = TwoBytePacket;
        datagram[24] = 0x09;

        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));
        Assert.Equal([(1, ""), (200, "BBCC")], Elements(packet));
    }

    [Fact]
    public void Value_IsOverwrittenInPlace()
    {
        byte[] datagram = OneBytePacket;
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.True(packet.TryOverwriteHeaderExtension(2, [9, 8, 7, 6]));
        Assert.False(packet.TryOverwriteHeaderExtension(2, [9, 8, 7]));
        Assert.False(packet.TryOverwriteHeaderExtension(4, [1]));
        Assert.True(packet.TryGetHeaderExtension(1, out Span<byte> value));
        value[0] = 0x55;

        Assert.Equal([(1, "55"), (2, "09080706"), (3, "404142434445464748494A4B4C4D4E4F")], Elements(packet));
    }

    [Fact]
    public void OneByteIds_AreRemappedInPlaceAndRemovedElementsBecomePadding()
    {
        byte[] datagram = OneBytePacket;
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));
        byte[] idMap = [0, 14, 0, 5];

        Assert.True(packet.TryRemapHeaderExtensionIds(idMap));

        Assert.Equal([(14, "AA"), (5, "404142434445464748494A4B4C4D4E4F")], Elements(packet));
        Assert.Equal(new byte[] { 0xE0, 0xAA, 0, 0, 0, 0, 0, 0, 0x5F }, datagram[16..25]);
        Assert.Equal(OneBytePacket.Length, packet.Length);
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket reparsed));
        Assert.Equal(new byte[] { 0xCA, 0xFE }, reparsed.Payload.ToArray());
    }

    [Fact]
    public void TwoByteIds_AreRemappedInPlace()
    {
        byte[] datagram = TwoBytePacket;
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));
        byte[] idMap = new byte[256];
        idMap[1] = 0;
        idMap[200] = 7;
        idMap[3] = 250;

        Assert.True(packet.TryRemapHeaderExtensionIds(idMap));

        Assert.Equal([(7, "BBCC"), (250, "112233")], Elements(packet));
    }

    [Fact]
    public void RemappingAOneByteIdAboveFourteen_FailsWithoutChangingThePacket()
    {
        byte[] datagram = OneBytePacket;
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.False(packet.TryRemapHeaderExtensionIds([0, 1, 2, 15]));

        Assert.Equal(OneBytePacket, datagram);
    }

    [Fact]
    public void IdsMissingFromTheMap_AreRemoved()
    {
        byte[] datagram = OneBytePacket;
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.True(packet.TryRemapHeaderExtensionIds([0, 1]));

        Assert.Equal([(1, "AA")], Elements(packet));
    }

    [Fact]
    public void Rebuilding_CompactsTheBlockInTheOneByteForm()
    {
        Assert.True(RtpPacket.TryParse(TwoBytePacket, out RtpPacket packet));
        byte[] idMap = new byte[256];
        idMap[200] = 2;
        idMap[3] = 3;
        byte[] destination = new byte[64];

        Assert.True(packet.TryWriteWithRemappedHeaderExtensions(idMap, destination, out int length));

        byte[] expected =
        [
            0x90, 96, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
            0xBE, 0xDE, 0x00, 0x02,
            0x21, 0xBB, 0xCC, 0x32, 0x11, 0x22, 0x33, 0x00,
            0xCA, 0xFE,
        ];
        Assert.Equal(expected, destination[..length]);
    }

    [Fact]
    public void Rebuilding_SwitchesToTheTwoByteFormWhenAnIdNeedsIt()
    {
        Assert.True(RtpPacket.TryParse(PacketWithCsrcsExtensionAndPadding, out RtpPacket packet));
        byte[] idMap = new byte[2];
        idMap[TransmissionOffsetId] = 100;
        byte[] destination = new byte[64];

        Assert.True(packet.TryWriteWithRemappedHeaderExtensions(idMap, destination, out int length));

        Assert.True(RtpPacket.TryParse(destination.AsSpan(0, length), out RtpPacket rebuilt));
        Assert.Equal(RtpHeaderExtensionForm.TwoByte, rebuilt.HeaderExtensionForm);
        Assert.Equal([(100, "0056CE")], Elements(rebuilt));
        Assert.Equal(2, rebuilt.CsrcCount);
        Assert.Equal(0x32435465u, rebuilt.GetCsrc(1));
        Assert.Equal("payload"u8.ToArray(), rebuilt.Payload.ToArray());
        Assert.Equal(8, rebuilt.PaddingLength);
        Assert.Equal(PacketWithCsrcsExtensionAndPadding.Length + 4, length);
    }

    [Fact]
    public void Rebuilding_DropsTheBlockWhenNothingIsKept()
    {
        Assert.True(RtpPacket.TryParse(PacketWithTransmissionOffsetAndAudioLevel, out RtpPacket packet));
        byte[] destination = new byte[64];

        Assert.True(packet.TryWriteWithRemappedHeaderExtensions([], destination, out int length));

        Assert.Equal(MinimumPacket, destination[..length]);
    }

    [Fact]
    public void Rebuilding_IntoATooSmallDestination_Fails()
    {
        Assert.True(RtpPacket.TryParse(OneBytePacket, out RtpPacket packet));

        const int compactedLength = 42;

        Assert.False(packet.TryWriteWithRemappedHeaderExtensions([0, 1, 2, 3], new byte[compactedLength - 1], out int length));
        Assert.Equal(0, length);
        Assert.True(packet.TryWriteWithRemappedHeaderExtensions([0, 1, 2, 3], new byte[compactedLength], out length));
        Assert.Equal(compactedLength, length);
    }

    [Fact]
    public void MidRidAndRepairedRid_AreReadAsBytes()
    {
        byte[] datagram =
        [
            0x90, 96, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
            0xBE, 0xDE, 0x00, 0x03,
            0x10, (byte)'0', 0x22, (byte)'h', (byte)'i', (byte)'g', 0x32, (byte)'l', (byte)'o', (byte)'w',
            0x00, 0x00,
        ];
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.True(packet.TryReadMid(1, out ReadOnlySpan<byte> mid));
        Assert.Equal("0", Encoding.ASCII.GetString(mid));
        Assert.True(packet.TryReadRid(2, out ReadOnlySpan<byte> rid));
        Assert.Equal("hig", Encoding.ASCII.GetString(rid));
        Assert.True(packet.TryReadRepairedRid(3, out ReadOnlySpan<byte> repairedRid));
        Assert.Equal("low", Encoding.ASCII.GetString(repairedRid));
        Assert.False(packet.TryReadMid(4, out _));
    }

    [Fact]
    public void LibwebrtcRsid_IsRead()
    {
        Assert.True(RtpPacket.TryParse(PacketWithRsid, out RtpPacket packet));

        Assert.True(packet.TryReadRid(RtpStreamIdId, out ReadOnlySpan<byte> rid));
        Assert.Equal("streamid", Encoding.ASCII.GetString(rid));
    }

    [Fact]
    public void AbsSendTime_IsReadAndRewritten()
    {
        byte[] datagram =
        [
            0x90, 96, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
            0xBE, 0xDE, 0x00, 0x01, 0x32, 0x12, 0x34, 0x56,
        ];
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.True(packet.TryReadAbsSendTime(3, out uint absSendTime));
        Assert.Equal(0x123456u, absSendTime);
        Assert.True(packet.TryWriteAbsSendTime(3, 0xFFABCDEF));
        Assert.Equal(new byte[] { 0x32, 0xAB, 0xCD, 0xEF }, datagram[16..]);
        Assert.False(packet.TryReadAbsSendTime(2, out _));
    }

    [Fact]
    public void TransportWideSequenceNumber_IsReadAndRewritten()
    {
        byte[] datagram =
        [
            0x90, 96, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
            0xBE, 0xDE, 0x00, 0x01, 0x51, 0xAB, 0xCD, 0x00,
        ];
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.True(packet.TryReadTransportWideSequenceNumber(5, out ushort sequenceNumber));
        Assert.Equal(0xABCD, sequenceNumber);
        Assert.True(packet.TryWriteTransportWideSequenceNumber(5, 0x0102));
        Assert.True(packet.TryReadTransportWideSequenceNumber(5, out sequenceNumber));
        Assert.Equal(0x0102, sequenceNumber);
        Assert.Equal(new byte[] { 0x51, 0x01, 0x02, 0x00 }, datagram[16..]);
    }

    [Fact]
    public void ValuesOfTheWrongLength_CountAsAbsent()
    {
        Assert.True(RtpPacket.TryParse(OneBytePacket, out RtpPacket packet));

        Assert.False(packet.TryReadAbsSendTime(2, out _));
        Assert.False(packet.TryWriteAbsSendTime(2, 1));
        Assert.False(packet.TryReadTransportWideSequenceNumber(1, out _));
        Assert.False(packet.TryWriteTransportWideSequenceNumber(1, 1));
        Assert.False(packet.TryReadSsrcAudioLevel(2, out _, out _));
        Assert.False(packet.TryReadVideoOrientation(3, out _, out _, out _));
    }

    [Fact]
    public void LibwebrtcAudioLevel_IsRead()
    {
        Assert.True(RtpPacket.TryParse(PacketWithTransmissionOffsetAndAudioLevel, out RtpPacket packet));

        Assert.True(packet.TryReadSsrcAudioLevel(AudioLevelId, out byte level, out bool voice));
        Assert.Equal(AudioLevel, level);
        Assert.True(voice);
    }

    [Theory]
    [InlineData(0x00, false, false, 0)]
    [InlineData(0x01, false, false, 90)]
    [InlineData(0x0A, true, false, 180)]
    [InlineData(0x07, false, true, 270)]
    public void VideoOrientation_IsRead(byte value, bool camera, bool flip, int rotation)
    {
        byte[] datagram =
        [
            0x90, 96, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03,
            0xBE, 0xDE, 0x00, 0x01, 0x40, value, 0x00, 0x00,
        ];
        Assert.True(RtpPacket.TryParse(datagram, out RtpPacket packet));

        Assert.True(packet.TryReadVideoOrientation(4, out bool actualCamera, out bool actualFlip, out ushort actualRotation));
        Assert.Equal(camera, actualCamera);
        Assert.Equal(flip, actualFlip);
        Assert.Equal(rotation, actualRotation);
    }

    private static List<(int Id, string Value)> Elements(RtpPacket packet)
    {
        var elements = new List<(int, string)>();
        foreach (RtpHeaderExtension extension in packet.HeaderExtensions)
        {
            elements.Add((extension.Id, Convert.ToHexString(extension.Value)));
        }

        return elements;
    }
}
