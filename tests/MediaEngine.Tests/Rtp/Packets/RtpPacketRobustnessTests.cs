using MediaEngine.Rtp.Packets;
using static MediaEngine.Tests.Rtp.Packets.LibwebrtcRtpVectors;

namespace MediaEngine.Tests.Rtp.Packets;

public class RtpPacketRobustnessTests
{
    private static readonly byte[] IdMap = [0, 3, 0, 1, 0, 0, 0, 0, 0, 14, 2];
    private static readonly byte[] TwoBytePacket = PacketWithTwoByteExtensionIdLast;

    [Fact]
    public void RandomCorruptionAndTruncation_NeverThrow()
    {
        var random = new Random(3550);
        byte[][] originals =
        [
            PacketWithCsrcsExtensionAndPadding,
            PacketWithTransmissionOffsetAndAudioLevel,
            PacketWithTwoByteExtensionIdLast,
            PacketWithRsid,
        ];
        byte[] scratch = new byte[128];

        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            byte[] original = originals[random.Next(originals.Length)];
            byte[] buffer = new byte[original.Length + random.Next(4)];
            original.CopyTo(buffer, 0);
            int flips = random.Next(1, 4);
            for (int flip = 0; flip < flips; flip++)
            {
                buffer[random.Next(original.Length)] = (byte)random.Next(256);
            }

            int length = random.Next(2) == 0 ? original.Length : random.Next(original.Length + 1);
            Exercise(buffer, length, scratch);
        }
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(8285);
        byte[] scratch = new byte[128];

        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            byte[] buffer = new byte[random.Next(1, 48)];
            random.NextBytes(buffer);
            buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
            Exercise(buffer, buffer.Length, scratch);
        }
    }

    [Fact]
    public void ParsingAndRewriting_DoesNotAllocate()
    {
        byte[] buffer = new byte[64];
        byte[] scratch = new byte[128];
        RoundTrip(buffer, scratch);

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 100; iteration++)
            {
                RoundTrip(buffer, scratch);
            }
        });
    }

    private static void RoundTrip(byte[] buffer, byte[] scratch)
    {
        ReadOnlySpan<byte> original = TwoBytePacket;
        original.CopyTo(buffer);
        Assert.True(RtpPacket.TryParse(buffer, original.Length, out RtpPacket packet));
        Assert.True(packet.TryReadSsrcAudioLevel(AudioLevelId, out _, out _));
        Assert.True(packet.TryGetHeaderExtension(TwoByteOnlyId, out _));
        Assert.True(packet.TryWriteWithRemappedHeaderExtensions(IdMap, scratch, out _));
        packet.Ssrc = 0x01020304;
        packet.PayloadType = 111;
        packet.SequenceNumber++;
        Assert.True(packet.TryRemapHeaderExtensionIds(IdMap));
        Assert.True(packet.TryRtxEncode(97, 5, 6));
        Assert.True(packet.TryRtxDecode(111, 0x01020304));
    }

    /// <summary>Touches every accessor of whatever parses; returns whether it parsed.</summary>
    private static bool Exercise(byte[] buffer, int length, byte[] scratch)
    {
        if (!RtpPacket.TryParse(buffer, length, out RtpPacket packet))
        {
            return false;
        }

        _ = packet.Marker;
        _ = packet.PayloadType;
        _ = packet.SequenceNumber;
        _ = packet.Timestamp;
        _ = packet.Ssrc;
        for (int index = 0; index < packet.CsrcCount; index++)
        {
            _ = packet.GetCsrc(index);
        }

        _ = packet.Payload.Length;
        _ = packet.HeaderExtensionForm;
        foreach (RtpHeaderExtension extension in packet.HeaderExtensions)
        {
            _ = extension.Value.Length;
        }

        for (int id = 0; id < 16; id++)
        {
            packet.TryReadMid(id, out _);
            packet.TryReadAbsSendTime(id, out _);
            packet.TryReadTransportWideSequenceNumber(id, out _);
            packet.TryReadSsrcAudioLevel(id, out _, out _);
            packet.TryReadVideoOrientation(id, out _, out _, out _);
        }

        packet.TryWriteWithRemappedHeaderExtensions(IdMap, scratch, out _);
        packet.TryRemapHeaderExtensionIds(IdMap);
        if (packet.TryRtxEncode(97, 1, 2))
        {
            packet.TryRtxDecode(96, 3);
        }

        packet.TrySetPaddingLength(4);
        return true;
    }
}
