namespace MediaEngine.Sctp;

/// <summary>
/// Packets built for the peer, waiting to be dequeued. Chunks are appended to the packet under
/// construction until it is full or another verification tag is needed; buffers are reused.
/// </summary>
internal sealed class SctpOutgoingPackets(ushort localPort, ushort remotePort, int maxPacketSize, int maxQueuedPackets, SctpCounters counters)
{
    private readonly Queue<(byte[] Buffer, int Length)> _ready = [];
    private readonly Stack<byte[]> _free = [];
    private byte[]? _current;
    private int _length;
    private uint _currentTag;

    /// <summary>The longest chunk a packet holds, a multiple of 4 so that its padding fits too.</summary>
    public int MaxChunkLength => (maxPacketSize - SctpCommonHeader.Length) & ~3;

    /// <summary>Bytes a chunk may take in the packet being built for <paramref name="verificationTag"/>, or in a new one.</summary>
    public int SpaceFor(uint verificationTag) =>
        _current is not null && _currentTag == verificationTag ? (maxPacketSize - _length) & ~3 : MaxChunkLength;

    public bool IsBuilding => _current is not null && _length > SctpCommonHeader.Length;

    /// <summary>Room for a chunk of at most <paramref name="maxLength"/> bytes, starting a new packet when needed.</summary>
    public Span<byte> Reserve(uint verificationTag, int maxLength)
    {
        if (_current is null || _currentTag != verificationTag || SctpChunk.PaddedLength(maxLength) > ((maxPacketSize - _length) & ~3))
        {
            Flush();
            _current = _free.TryPop(out var buffer) ? buffer : new byte[maxPacketSize];
            _currentTag = verificationTag;
            new SctpCommonHeader(localPort, remotePort, verificationTag).WriteTo(_current);
            _length = SctpCommonHeader.Length;
        }

        return _current.AsSpan(_length);
    }

    /// <summary>Keeps the chunk of <paramref name="length"/> bytes written at the last <see cref="Reserve"/>.</summary>
    public void Commit(int length)
    {
        int padded = SctpChunk.PaddedLength(length);
        _current.AsSpan(_length + length, padded - length).Clear();
        _length += padded;
    }

    public void Flush()
    {
        if (_current is null)
        {
            return;
        }

        var packet = _current;
        int length = _length;
        _current = null;
        if (length == SctpCommonHeader.Length || _ready.Count >= maxQueuedPackets)
        {
            if (length > SctpCommonHeader.Length)
            {
                counters.OutgoingPacketsDropped++;
            }

            _free.Push(packet);
            return;
        }

        SctpPacketChecksum.Write(packet.AsSpan(0, length));
        _ready.Enqueue((packet, length));
        counters.PacketsSent++;
    }

    public bool TryDequeue(Span<byte> destination, out int length)
    {
        if (!_ready.TryPeek(out var packet))
        {
            length = 0;
            return false;
        }

        if (destination.Length < packet.Length)
        {
            throw new ArgumentException($"The destination must hold {maxPacketSize} bytes.", nameof(destination));
        }

        _ready.Dequeue();
        packet.Buffer.AsSpan(0, packet.Length).CopyTo(destination);
        length = packet.Length;
        _free.Push(packet.Buffer);
        return true;
    }
}
