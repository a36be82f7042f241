using System.Buffers.Binary;
using MediaEngine.Srtp;

namespace MediaEngine.Tests.Srtp;

internal static class TestPackets
{
    public static TheoryData<SrtpProfile> Profiles => [.. Enum.GetValues<SrtpProfile>()];

    public static byte[] MasterKey(SrtpProfile profile) =>
        [.. Enumerable.Range(0, profile.KeyLength).Select(i => (byte)(0x10 + i))];

    public static byte[] MasterSalt(SrtpProfile profile) =>
        [.. Enumerable.Range(0, profile.SaltLength).Select(i => (byte)(0x90 + i))];

    public static SrtpSession Session(SrtpProfile profile) => new(profile, MasterKey(profile), MasterSalt(profile));

    /// <summary>An RTP packet at the start of a buffer with room for the SRTP tag; payload bytes count up from the sequence number.</summary>
    public static byte[] Rtp(uint ssrc, ushort sequenceNumber, int payloadLength = 160, int csrcCount = 0, int extensionWords = 0)
    {
        int headerLength = 12 + (4 * csrcCount) + (extensionWords > 0 ? 4 + (4 * extensionWords) : 0);
        var buffer = new byte[headerLength + payloadLength + 16];
        buffer[0] = (byte)(0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcCount);
        buffer[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), 0x01020304u * sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), ssrc);
        for (int csrc = 0; csrc < csrcCount; csrc++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(12 + (4 * csrc)), 0xC0000000u + (uint)csrc);
        }

        if (extensionWords > 0)
        {
            int extensionOffset = 12 + (4 * csrcCount);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(extensionOffset), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(extensionOffset + 2), (ushort)extensionWords);
            buffer.AsSpan(extensionOffset + 4, 4 * extensionWords).Fill(0xEE);
        }

        for (int i = 0; i < payloadLength; i++)
        {
            buffer[headerLength + i] = (byte)(sequenceNumber + i);
        }

        return buffer;
    }

    public static int RtpLength(byte[] buffer) => buffer.Length - 16;

    /// <summary>A sender report with one report block at the start of a buffer with room for the SRTCP trailer.</summary>
    public static byte[] Rtcp(uint ssrc, byte fill = 0x5A)
    {
        const int length = 52;
        var buffer = new byte[length + 20];
        buffer[0] = 0x81;
        buffer[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (length / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), ssrc);
        buffer.AsSpan(8, length - 8).Fill(fill);
        return buffer;
    }

    public static int RtcpLength(byte[] buffer) => buffer.Length - 20;
}
