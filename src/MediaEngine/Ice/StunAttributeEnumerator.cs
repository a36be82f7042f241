using System.Buffers.Binary;

namespace MediaEngine.Ice;

/// <summary>
/// Walks the attributes of a message already validated by <see cref="StunMessageReader.TryParse"/>.
/// Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are skipped, as RFC 5389 §15.4
/// requires receivers to ignore them.
/// </summary>
public ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly int _ignoredFrom;
    private int _nextOffset;

    internal StunAttributeEnumerator(ReadOnlySpan<byte> message, int ignoredFrom)
    {
        _message = message;
        _ignoredFrom = ignoredFrom;
        _nextOffset = StunHeader.Length;
        Current = default;
    }

    public StunAttribute Current { get; private set; }

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_nextOffset < _message.Length)
        {
            int offset = _nextOffset;
            var type = (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(_message[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(_message[(offset + 2)..]);
            _nextOffset = offset + StunAttributeLayout.HeaderLength + StunAttributeLayout.PaddedLength(valueLength);

            if (offset >= _ignoredFrom && type != StunAttributeType.Fingerprint)
            {
                continue;
            }

            Current = new StunAttribute(type, _message.Slice(offset + StunAttributeLayout.HeaderLength, valueLength));
            return true;
        }

        return false;
    }
}
