using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>A type-length-value parameter of a chunk (RFC 9260 §3.2.1), without its padding.</summary>
public readonly ref struct SctpParameter
{
    public const int HeaderLength = 4;

    public SctpParameter(ReadOnlySpan<byte> bytes)
    {
        Bytes = bytes;
    }

    public ReadOnlySpan<byte> Bytes { get; }

    public SctpParameterType Type => (SctpParameterType)BinaryPrimitives.ReadUInt16BigEndian(Bytes);

    public ReadOnlySpan<byte> Value => Bytes[HeaderLength..];

    /// <summary>
    /// What to do with an unknown parameter, from its two highest bits (RFC 9260 §3.2.1): true to
    /// skip it, false to stop processing the remaining parameters.
    /// </summary>
    public static bool IsSkippedWhenUnrecognized(SctpParameterType type) => ((ushort)type & 0x8000) != 0;

    /// <summary>Writes a parameter and returns its length without padding.</summary>
    public static int Write(Span<byte> destination, SctpParameterType type, ReadOnlySpan<byte> value)
    {
        int length = HeaderLength + value.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)length));
        value.CopyTo(destination[HeaderLength..]);
        destination.Slice(length, SctpChunk.PaddedLength(length) - length).Clear();
        return length;
    }
}
