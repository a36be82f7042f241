using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// Walks the parameters (or error causes, which share the layout) of a chunk value. Stops at the
/// first impossible length, setting <see cref="IsMalformed"/>; it never throws.
/// </summary>
public ref struct SctpParameterEnumerator
{
    private ReadOnlySpan<byte> _remaining;

    public SctpParameterEnumerator(ReadOnlySpan<byte> parameters)
    {
        _remaining = parameters;
        Current = default;
        IsMalformed = false;
    }

    public SctpParameter Current { get; private set; }

    public bool IsMalformed { get; private set; }

    public readonly SctpParameterEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.IsEmpty || IsMalformed)
        {
            return false;
        }

        if (_remaining.Length < SctpParameter.HeaderLength)
        {
            IsMalformed = true;
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(_remaining[2..]);
        if (length < SctpParameter.HeaderLength || length > _remaining.Length)
        {
            IsMalformed = true;
            return false;
        }

        Current = new SctpParameter(_remaining[..length]);
        _remaining = _remaining[Math.Min(SctpChunk.PaddedLength(length), _remaining.Length)..];
        return true;
    }
}
