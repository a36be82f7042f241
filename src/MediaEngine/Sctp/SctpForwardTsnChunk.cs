using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// FORWARD-TSN (RFC 3758 §3.2): tells the receiver to move its cumulative TSN forward past
/// abandoned messages, and, per ordered stream, to skip SSNs up to the one given.
/// </summary>
public readonly ref struct SctpForwardTsnChunk
{
    private const int FixedLength = SctpChunk.HeaderLength + 4;

    private readonly ReadOnlySpan<byte> _streams;

    private SctpForwardTsnChunk(uint newCumulativeTsn, ReadOnlySpan<byte> streams)
    {
        NewCumulativeTsn = newCumulativeTsn;
        _streams = streams;
    }

    public uint NewCumulativeTsn { get; }

    public int StreamCount => _streams.Length / 4;

    public SctpForwardTsnStream GetStream(int index) => new(
        BinaryPrimitives.ReadUInt16BigEndian(_streams[(index * 4)..]),
        BinaryPrimitives.ReadUInt16BigEndian(_streams[((index * 4) + 2)..]));

    public static int LengthFor(int streamCount) => FixedLength + (4 * streamCount);

    public static bool TryParse(SctpChunk chunk, out SctpForwardTsnChunk forwardTsn)
    {
        if (chunk.Type != SctpChunkType.ForwardTsn || chunk.Bytes.Length < FixedLength || (chunk.Bytes.Length - FixedLength) % 4 != 0)
        {
            forwardTsn = default;
            return false;
        }

        forwardTsn = new SctpForwardTsnChunk(BinaryPrimitives.ReadUInt32BigEndian(chunk.Value), chunk.Value[4..]);
        return true;
    }

    public static int Write(Span<byte> destination, uint newCumulativeTsn, ReadOnlySpan<SctpForwardTsnStream> streams)
    {
        int length = LengthFor(streams.Length);
        SctpChunk.WriteHeader(destination, SctpChunkType.ForwardTsn, 0, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], newCumulativeTsn);
        int offset = FixedLength;
        foreach (var stream in streams)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], stream.StreamId);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], stream.Ssn);
            offset += 4;
        }

        return length;
    }
}
