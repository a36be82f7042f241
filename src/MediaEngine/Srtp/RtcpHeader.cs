using System.Buffers.Binary;

namespace MediaEngine.Srtp;

/// <summary>The parts of the first RTCP header of a compound packet (RFC 3550 §6.4) SRTCP needs.</summary>
internal static class RtcpHeader
{
    /// <summary>Common header and sender SSRC, which SRTCP leaves unencrypted.</summary>
    public const int Length = 8;
    private const int Version = 2;

    public static uint Ssrc(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);

    public static bool HasValidVersion(ReadOnlySpan<byte> packet) => packet[0] >> 6 == Version;
}
