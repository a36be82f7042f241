namespace MediaEngine.Ice;

/// <summary>
/// Table-driven CRC-32 (IEEE 802.3 / ISO-HDLC: reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF), the checksum STUN's FINGERPRINT attribute is built on.
/// </summary>
public static class Crc32
{
    private const uint ReflectedPolynomial = 0xEDB88320u;

    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte value in data)
        {
            crc = Table[(crc ^ value) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint index = 0; index < table.Length; index++)
        {
            uint entry = index;
            for (int bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? (entry >> 1) ^ ReflectedPolynomial : entry >> 1;
            }

            table[index] = entry;
        }

        return table;
    }
}
