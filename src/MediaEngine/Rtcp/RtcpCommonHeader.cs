using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// Layout of the 4-byte header every RTCP packet starts with (RFC 3550 §6.4.1): version,
/// padding bit, a 5-bit count (or feedback message type), packet type and the packet length in
/// 32-bit words minus one.
/// </summary>
public static class RtcpCommonHeader
{
    public const int Length = 4;
    public const int MaxCount = 31;

    internal const int SupportedVersion = 2;
    internal const byte PaddingBit = 0x20;
    internal const byte CountMask = 0x1F;

    /// <summary>
    /// Writes the header of a packet of <paramref name="packetLength"/> bytes (a multiple of four)
    /// after checking that <paramref name="destination"/> can hold the whole packet.
    /// </summary>
    internal static void Write(Span<byte> destination, int count, RtcpPacketType type, int packetLength)
    {
        if (destination.Length < packetLength)
        {
            throw new ArgumentException($"The destination cannot hold the {packetLength}-byte {type} packet.", nameof(destination));
        }

        destination[0] = (byte)((SupportedVersion << 6) | count);
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(packetLength / 4 - 1));
    }

    internal static void EnsureCountFits(int count, string paramName)
    {
        if (count > MaxCount)
        {
            throw new ArgumentException($"An RTCP packet holds at most {MaxCount} entries.", paramName);
        }
    }

    internal static int AlignToWord(int length) => (length + 3) & ~3;
}
