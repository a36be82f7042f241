namespace MediaEngine.Rtcp;

/// <summary>One chunk of an SDES packet: an SSRC or CSRC and its items (RFC 3550 §6.5).</summary>
public readonly ref struct SdesChunk
{
    private readonly ReadOnlySpan<byte> _items;

    internal SdesChunk(uint ssrc, ReadOnlySpan<byte> items)
    {
        Ssrc = ssrc;
        _items = items;
    }

    public uint Ssrc { get; }

    public SdesItemEnumerator Items => new(_items);

    public bool TryGetCname(out ReadOnlySpan<byte> cname)
    {
        foreach (SdesItem item in Items)
        {
            if (item.Type == SdesItemType.Cname)
            {
                cname = item.Value;
                return true;
            }
        }

        cname = default;
        return false;
    }
}
