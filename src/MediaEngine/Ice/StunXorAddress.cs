namespace MediaEngine.Ice;

/// <summary>
/// Shared encoding of XOR-MAPPED-ADDRESS (RFC 5389 §15.2): one reserved byte, the family, the
/// port XORed with the top half of the magic cookie and the address XORed with the magic cookie
/// followed by the transaction id.
/// </summary>
internal static class StunXorAddress
{
    public const byte IPv4Family = 0x01;
    public const byte IPv6Family = 0x02;
    public const int IPv4Length = 4;
    public const int IPv6Length = 16;
    public const int ValuePrefixLength = 4;
    public const ushort PortMask = (ushort)(StunHeader.MagicCookie >> 16);

    /// <summary>The magic cookie followed by the transaction id is exactly header bytes 4..20.</summary>
    public static ReadOnlySpan<byte> Mask(ReadOnlySpan<byte> message) =>
        message.Slice(StunHeader.MagicCookieOffset, IPv6Length);

    public static void Apply(ReadOnlySpan<byte> source, ReadOnlySpan<byte> mask, Span<byte> destination)
    {
        for (int index = 0; index < source.Length; index++)
        {
            destination[index] = (byte)(source[index] ^ mask[index]);
        }
    }
}
