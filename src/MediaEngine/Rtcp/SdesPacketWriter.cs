using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// Writes an SDES packet of CNAME chunks into a caller-provided buffer without allocating:
/// <see cref="AddCnameChunk"/> once per source, then <see cref="Complete"/>. Running out of room
/// throws <see cref="ArgumentException"/>: buffer sizing is the caller's responsibility.
/// </summary>
public ref struct SdesPacketWriter
{
    public const int MaxCnameLength = byte.MaxValue;

    private readonly Span<byte> _destination;
    private int _length;
    private int _chunkCount;

    public SdesPacketWriter(Span<byte> destination)
    {
        _destination = destination;
        _length = RtcpCommonHeader.Length;
        _chunkCount = 0;
    }

    /// <summary>Bytes a chunk carrying <paramref name="cnameLength"/> bytes of CNAME takes.</summary>
    public static int GetChunkLength(int cnameLength) =>
        RtcpCommonHeader.AlignToWord(SdesPacket.SsrcLength + SdesItemEnumerator.ItemHeaderLength + cnameLength + 1);

    public void AddCnameChunk(uint ssrc, ReadOnlySpan<byte> cname)
    {
        if (cname.Length > MaxCnameLength)
        {
            throw new ArgumentException($"An SDES item holds at most {MaxCnameLength} bytes.", nameof(cname));
        }

        if (_chunkCount == RtcpCommonHeader.MaxCount)
        {
            throw new InvalidOperationException($"An SDES packet holds at most {RtcpCommonHeader.MaxCount} chunks.");
        }

        int chunkLength = GetChunkLength(cname.Length);
        if (_length + chunkLength > _destination.Length)
        {
            throw new ArgumentException("The destination cannot hold another SDES chunk.", nameof(cname));
        }

        Span<byte> chunk = _destination.Slice(_length, chunkLength);
        BinaryPrimitives.WriteUInt32BigEndian(chunk, ssrc);
        chunk[SdesPacket.SsrcLength] = (byte)SdesItemType.Cname;
        chunk[SdesPacket.SsrcLength + 1] = (byte)cname.Length;
        cname.CopyTo(chunk[(SdesPacket.SsrcLength + SdesItemEnumerator.ItemHeaderLength)..]);
        chunk[(SdesPacket.SsrcLength + SdesItemEnumerator.ItemHeaderLength + cname.Length)..].Clear();
        _length += chunkLength;
        _chunkCount++;
    }

    /// <summary>Writes the common header and returns the packet's length.</summary>
    public readonly int Complete()
    {
        RtcpCommonHeader.Write(_destination, _chunkCount, RtcpPacketType.SourceDescription, _length);
        return _length;
    }
}
