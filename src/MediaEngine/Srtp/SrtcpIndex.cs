namespace MediaEngine.Srtp;

/// <summary>The 32-bit trailer field of SRTCP: the E flag (payload encrypted) above a 31-bit packet index.</summary>
internal static class SrtcpIndex
{
    public const int Length = 4;
    public const uint EncryptedFlag = 0x8000_0000;
    public const uint IndexMask = 0x7FFF_FFFF;
}
