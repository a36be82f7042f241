namespace MediaEngine.Rtcp;

/// <summary>Walks the packets of a <see cref="CompoundPacket"/>; never throws.</summary>
public ref struct CompoundPacketEnumerator
{
    private ReadOnlySpan<byte> _remaining;

    internal CompoundPacketEnumerator(ReadOnlySpan<byte> datagram)
    {
        _remaining = datagram;
        Current = default;
    }

    public RtcpPacket Current { get; private set; }

    /// <summary>True once every byte of the datagram has been delivered as a well-formed packet.</summary>
    public readonly bool ReachedEnd => _remaining.IsEmpty;

    public bool MoveNext()
    {
        if (!RtcpPacket.TryParse(_remaining, out RtcpPacket packet))
        {
            return false;
        }

        Current = packet;
        _remaining = _remaining[packet.Length..];
        return true;
    }
}
