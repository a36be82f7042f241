using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>SHUTDOWN (RFC 9260 §3.3.8): starts a graceful close and acknowledges data up to a TSN.</summary>
public readonly ref struct SctpShutdownChunk
{
    public const int Length = SctpChunk.HeaderLength + 4;

    private SctpShutdownChunk(uint cumulativeTsnAck)
    {
        CumulativeTsnAck = cumulativeTsnAck;
    }

    public uint CumulativeTsnAck { get; }

    public static bool TryParse(SctpChunk chunk, out SctpShutdownChunk shutdown)
    {
        if (chunk.Type != SctpChunkType.Shutdown || chunk.Bytes.Length != Length)
        {
            shutdown = default;
            return false;
        }

        shutdown = new SctpShutdownChunk(BinaryPrimitives.ReadUInt32BigEndian(chunk.Value));
        return true;
    }

    public static int Write(Span<byte> destination, uint cumulativeTsnAck)
    {
        SctpChunk.WriteHeader(destination, SctpChunkType.Shutdown, 0, Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], cumulativeTsnAck);
        return Length;
    }
}
