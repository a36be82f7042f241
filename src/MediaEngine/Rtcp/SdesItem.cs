namespace MediaEngine.Rtcp;

/// <summary>One item of an SDES chunk; <see cref="Value"/> is the raw UTF-8 text.</summary>
public readonly ref struct SdesItem
{
    internal SdesItem(SdesItemType type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    public SdesItemType Type { get; }

    public ReadOnlySpan<byte> Value { get; }
}
