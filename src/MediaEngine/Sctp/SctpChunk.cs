using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// One chunk of a packet (RFC 9260 §3.2): <see cref="Bytes"/> spans the chunk header and value
/// without the padding that follows; <see cref="Value"/> is what follows the 4-byte header.
/// </summary>
public readonly ref struct SctpChunk
{
    public const int HeaderLength = 4;

    public SctpChunk(ReadOnlySpan<byte> bytes)
    {
        Bytes = bytes;
    }

    public ReadOnlySpan<byte> Bytes { get; }

    public SctpChunkType Type => (SctpChunkType)Bytes[0];

    public byte Flags => Bytes[1];

    public ReadOnlySpan<byte> Value => Bytes[HeaderLength..];

    /// <summary>
    /// What to do with a chunk of an unknown type, from its two highest bits (RFC 9260 §3.2):
    /// true to skip it and go on with the packet, false to discard the rest of the packet.
    /// </summary>
    public static bool IsSkippedWhenUnrecognized(byte type) => (type & 0x80) != 0;

    public static int PaddedLength(int length) => (length + 3) & ~3;

    public static void WriteHeader(Span<byte> destination, SctpChunkType type, byte flags, int length)
    {
        destination[0] = (byte)type;
        destination[1] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)length));
    }

    /// <summary>Writes a chunk that has no value (COOKIE-ACK, SHUTDOWN-ACK, SHUTDOWN-COMPLETE).</summary>
    public static int WriteEmpty(Span<byte> destination, SctpChunkType type, byte flags = 0)
    {
        WriteHeader(destination, type, flags, HeaderLength);
        return HeaderLength;
    }
}
