using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>Walks the chunks of an SDES packet already validated by <see cref="SdesPacket.TryParse"/>.</summary>
public ref struct SdesChunkEnumerator
{
    private readonly ReadOnlySpan<byte> _body;
    private int _remainingChunks;
    private int _offset;

    internal SdesChunkEnumerator(ReadOnlySpan<byte> body, int chunkCount)
    {
        _body = body;
        _remainingChunks = chunkCount;
        _offset = 0;
        Current = default;
    }

    public SdesChunk Current { get; private set; }

    public readonly SdesChunkEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remainingChunks == 0)
        {
            return false;
        }

        _remainingChunks--;
        int chunkLength = SdesPacket.MeasureChunk(_body[_offset..]);
        ReadOnlySpan<byte> chunk = _body.Slice(_offset, chunkLength);
        Current = new SdesChunk(BinaryPrimitives.ReadUInt32BigEndian(chunk), chunk[SdesPacket.SsrcLength..]);
        _offset += chunkLength;
        return true;
    }
}
