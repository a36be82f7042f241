using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// The CRC32c of a whole packet computed with its checksum field as zero, stored least significant
/// byte first: the byte order RFC 9260 Appendix B's reference code produces on the wire.
/// </summary>
public static class SctpPacketChecksum
{
    private const int ChecksumOffset = 8;

    public static bool IsValid(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < SctpCommonHeader.Length)
        {
            return false;
        }

        return Compute(packet) == BinaryPrimitives.ReadUInt32LittleEndian(packet[ChecksumOffset..]);
    }

    public static void Write(Span<byte> packet)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(packet[ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(packet[ChecksumOffset..], Crc32c.Compute(packet));
    }

    private static uint Compute(ReadOnlySpan<byte> packet)
    {
        uint state = Crc32c.Update(Crc32c.Start, packet[..ChecksumOffset]);
        state = Crc32c.Update(state, [0, 0, 0, 0]);
        return Crc32c.Finish(Crc32c.Update(state, packet[(ChecksumOffset + 4)..]));
    }
}
