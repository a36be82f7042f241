namespace MediaEngine.Rtcp;

/// <summary>Walks the items of an SDES chunk already validated by <see cref="SdesPacket.TryParse"/>.</summary>
public ref struct SdesItemEnumerator
{
    internal const int ItemHeaderLength = 2;

    private ReadOnlySpan<byte> _remaining;

    internal SdesItemEnumerator(ReadOnlySpan<byte> items)
    {
        _remaining = items;
        Current = default;
    }

    public SdesItem Current { get; private set; }

    public readonly SdesItemEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.IsEmpty || _remaining[0] == (byte)SdesItemType.End)
        {
            return false;
        }

        int valueLength = _remaining[1];
        Current = new SdesItem((SdesItemType)_remaining[0], _remaining.Slice(ItemHeaderLength, valueLength));
        _remaining = _remaining[(ItemHeaderLength + valueLength)..];
        return true;
    }
}
