using System.Buffers.Binary;
using MediaEngine.Rtp.Packets;

namespace MediaEngine.Tests.RtpStreams;

/// <summary>Builds minimal RTP packets: fixed header, then a payload of filler bytes.</summary>
internal static class RtpPackets
{
    public const byte PayloadType = 96;
    public const int HeaderLength = RtpPacket.FixedHeaderLength;

    public static byte[] Create(uint ssrc, ushort seq, uint timestamp, int payloadLength = 10)
    {
        byte[] buffer = new byte[HeaderLength + payloadLength];
        Write(buffer, ssrc, seq, timestamp, payloadLength);
        return buffer;
    }

    /// <summary>Writes the packet at the start of <paramref name="buffer"/> and returns its length.</summary>
    public static int Write(Span<byte> buffer, uint ssrc, ushort seq, uint timestamp, int payloadLength = 10)
    {
        buffer[0] = 0x80;
        buffer[1] = PayloadType;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], ssrc);
        buffer.Slice(HeaderLength, payloadLength).Fill((byte)seq);
        return HeaderLength + payloadLength;
    }

    public static RtpPacket Parse(byte[] buffer)
    {
        Assert.True(RtpPacket.TryParse(buffer, out RtpPacket packet));
        return packet;
    }
}
