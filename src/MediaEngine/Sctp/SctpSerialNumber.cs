namespace MediaEngine.Sctp;

/// <summary>
/// Serial number arithmetic (RFC 1982) for TSNs (32 bits) and SSNs (16 bits), which wrap around.
/// </summary>
internal static class SctpSerialNumber
{
    public static bool IsNewer(uint value, uint than) => (int)(value - than) > 0;

    public static bool IsNewerOrEqual(uint value, uint than) => (int)(value - than) >= 0;

    public static bool IsNewer(ushort value, ushort than) => (short)(value - than) > 0;

    public static bool IsNewerOrEqual(ushort value, ushort than) => (short)(value - than) >= 0;
}
