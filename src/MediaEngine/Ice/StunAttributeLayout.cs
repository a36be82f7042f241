namespace MediaEngine.Ice;

/// <summary>Type-length-value framing of STUN attributes (RFC 5389 §15).</summary>
internal static class StunAttributeLayout
{
    public const int HeaderLength = 4;

    /// <summary>Attribute values are padded to a multiple of four bytes; the length field excludes the padding.</summary>
    public static int PaddedLength(int valueLength) => (valueLength + 3) & ~3;
}
