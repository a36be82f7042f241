namespace MediaEngine.Ice;

/// <summary>One attribute of a received STUN message; <see cref="Value"/> excludes the padding.</summary>
public readonly ref struct StunAttribute
{
    internal StunAttribute(StunAttributeType type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    public StunAttributeType Type { get; }

    public ReadOnlySpan<byte> Value { get; }
}
