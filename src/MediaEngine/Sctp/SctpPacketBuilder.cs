namespace MediaEngine.Sctp;

/// <summary>
/// Lays out one packet in a caller's buffer: the common header, then chunks written into
/// <see cref="Remaining"/> and committed with <see cref="Advance"/>, then <see cref="Finish"/>
/// for the checksum.
/// </summary>
public ref struct SctpPacketBuilder
{
    private readonly Span<byte> _buffer;

    public SctpPacketBuilder(Span<byte> buffer, SctpCommonHeader header)
    {
        _buffer = buffer;
        header.WriteTo(buffer);
        Length = SctpCommonHeader.Length;
    }

    public int Length { get; private set; }

    public readonly bool HasChunks => Length > SctpCommonHeader.Length;

    public readonly Span<byte> Remaining => _buffer[Length..];

    /// <summary>Commits a chunk of <paramref name="chunkLength"/> bytes written at <see cref="Remaining"/>, padding it.</summary>
    public void Advance(int chunkLength)
    {
        int padded = SctpChunk.PaddedLength(chunkLength);
        _buffer.Slice(Length + chunkLength, padded - chunkLength).Clear();
        Length += padded;
    }

    /// <summary>Writes the checksum and returns the packet length.</summary>
    public readonly int Finish()
    {
        SctpPacketChecksum.Write(_buffer[..Length]);
        return Length;
    }
}
