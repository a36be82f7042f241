using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>DATA (RFC 9260 §3.3.1): one fragment, or the whole, of a user message.</summary>
public readonly ref struct SctpDataChunk
{
    /// <summary>Chunk header, TSN, stream identifier, SSN and PPID.</summary>
    public const int HeaderLength = 16;

    private SctpDataChunk(SctpDataChunkFlags flags, uint tsn, ushort streamId, ushort ssn, uint ppid, ReadOnlySpan<byte> userData)
    {
        Flags = flags;
        Tsn = tsn;
        StreamId = streamId;
        Ssn = ssn;
        Ppid = ppid;
        UserData = userData;
    }

    public SctpDataChunkFlags Flags { get; }

    public uint Tsn { get; }

    public ushort StreamId { get; }

    public ushort Ssn { get; }

    public uint Ppid { get; }

    public ReadOnlySpan<byte> UserData { get; }

    public bool IsUnordered => (Flags & SctpDataChunkFlags.Unordered) != 0;

    public bool IsBeginning => (Flags & SctpDataChunkFlags.Beginning) != 0;

    public bool IsEnd => (Flags & SctpDataChunkFlags.End) != 0;

    /// <summary>False for a chunk of another type or without user data (RFC 9260 §6.2 "No User Data").</summary>
    public static bool TryParse(SctpChunk chunk, out SctpDataChunk data)
    {
        if (chunk.Type != SctpChunkType.Data || chunk.Bytes.Length <= HeaderLength)
        {
            data = default;
            return false;
        }

        var value = chunk.Value;
        data = new SctpDataChunk(
            (SctpDataChunkFlags)chunk.Flags,
            BinaryPrimitives.ReadUInt32BigEndian(value),
            BinaryPrimitives.ReadUInt16BigEndian(value[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(value[6..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[8..]),
            value[12..]);
        return true;
    }

    public static int Write(
        Span<byte> destination, SctpDataChunkFlags flags, uint tsn, ushort streamId, ushort ssn, uint ppid, ReadOnlySpan<byte> userData)
    {
        int length = HeaderLength + userData.Length;
        SctpChunk.WriteHeader(destination, SctpChunkType.Data, (byte)flags, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], tsn);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], streamId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], ssn);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], ppid);
        userData.CopyTo(destination[HeaderLength..]);
        return length;
    }
}
