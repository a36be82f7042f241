using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// Walks the chunks after the common header. Stops at the end of the packet or at the first chunk
/// whose length field is impossible, setting <see cref="IsMalformed"/>; it never throws.
/// </summary>
public ref struct SctpChunkEnumerator
{
    private ReadOnlySpan<byte> _remaining;

    public SctpChunkEnumerator(ReadOnlySpan<byte> packet)
    {
        _remaining = packet.Length >= SctpCommonHeader.Length ? packet[SctpCommonHeader.Length..] : [];
        IsMalformed = packet.Length < SctpCommonHeader.Length;
        Current = default;
    }

    public SctpChunk Current { get; private set; }

    public bool IsMalformed { get; private set; }

    public readonly SctpChunkEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.IsEmpty || IsMalformed)
        {
            return false;
        }

        if (_remaining.Length < SctpChunk.HeaderLength)
        {
            IsMalformed = true;
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(_remaining[2..]);
        if (length < SctpChunk.HeaderLength || length > _remaining.Length)
        {
            IsMalformed = true;
            return false;
        }

        Current = new SctpChunk(_remaining[..length]);
        // The last chunk's padding may be missing; RFC 9260 §3.2 tolerates it.
        _remaining = _remaining[Math.Min(SctpChunk.PaddedLength(length), _remaining.Length)..];
        return true;
    }
}
