namespace MediaEngine.Rtcp;

/// <summary>
/// A received RTCP datagram: one or more packets back to back (RFC 3550 §6.1). Enumerating it
/// yields the packets in order and stops at the first one that is malformed or truncated; the
/// ones before it are still delivered. The RFC 3550 rules on which packets a compound must start
/// with are not enforced, so reduced-size RTCP (RFC 5506) is accepted too.
/// </summary>
public readonly ref struct CompoundPacket
{
    private readonly ReadOnlySpan<byte> _datagram;

    public CompoundPacket(ReadOnlySpan<byte> datagram)
    {
        _datagram = datagram;
    }

    public CompoundPacketEnumerator GetEnumerator() => new(_datagram);
}
