using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// CRC32c (Castagnoli: reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF), the
/// SCTP packet checksum (RFC 9260 Appendix B). Table-driven, eight bytes per step (slicing-by-8).
/// </summary>
public static class Crc32c
{
    private const uint ReflectedPolynomial = 0x82F63B78u;
    private const int TableCount = 8;

    private static readonly uint[] Tables = BuildTables();

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Start, data));

    internal const uint Start = 0xFFFFFFFFu;

    internal static uint Finish(uint state) => ~state;

    internal static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        uint[] tables = Tables;
        uint crc = state;
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = tables[(7 * 256) + (low & 0xFF)]
                ^ tables[(6 * 256) + ((low >> 8) & 0xFF)]
                ^ tables[(5 * 256) + ((low >> 16) & 0xFF)]
                ^ tables[(4 * 256) + (low >> 24)]
                ^ tables[(3 * 256) + (high & 0xFF)]
                ^ tables[(2 * 256) + ((high >> 8) & 0xFF)]
                ^ tables[256 + ((high >> 16) & 0xFF)]
                ^ tables[high >> 24];
            data = data[8..];
        }

        foreach (byte value in data)
        {
            crc = tables[(crc ^ value) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTables()
    {
        var tables = new uint[TableCount * 256];
        for (uint index = 0; index < 256; index++)
        {
            uint entry = index;
            for (int bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? (entry >> 1) ^ ReflectedPolynomial : entry >> 1;
            }

            tables[index] = entry;
        }

        for (int table = 1; table < TableCount; table++)
        {
            for (int index = 0; index < 256; index++)
            {
                uint previous = tables[((table - 1) * 256) + index];
                tables[(table * 256) + index] = (previous >> 8) ^ tables[previous & 0xFF];
            }
        }

        return tables;
    }
}
