namespace MediaEngine.Rtcp;

/// <summary>
/// View over an SDES packet (RFC 3550 §6.5): chunks of an SSRC followed by items, each chunk
/// ended by a null item and padded to a 32-bit boundary. <see cref="SdesPacketWriter"/> writes one.
/// </summary>
public readonly ref struct SdesPacket
{
    internal const int SsrcLength = 4;
    private const int Malformed = -1;

    private readonly ReadOnlySpan<byte> _body;

    private SdesPacket(ReadOnlySpan<byte> body, int chunkCount)
    {
        _body = body;
        ChunkCount = chunkCount;
    }

    public int ChunkCount { get; }

    public SdesChunkEnumerator Chunks => new(_body, ChunkCount);

    /// <summary>Accepts the packet only if all its chunks, items and terminators fit in the body.</summary>
    public static bool TryParse(RtcpPacket packet, out SdesPacket sdesPacket)
    {
        sdesPacket = default;
        if (packet.Type != RtcpPacketType.SourceDescription)
        {
            return false;
        }

        ReadOnlySpan<byte> remaining = packet.Body;
        for (int chunk = 0; chunk < packet.Count; chunk++)
        {
            int chunkLength = MeasureChunk(remaining);
            if (chunkLength == Malformed)
            {
                return false;
            }

            remaining = remaining[chunkLength..];
        }

        sdesPacket = new SdesPacket(packet.Body, packet.Count);
        return true;
    }

    /// <summary>
    /// Length of the chunk at the start of <paramref name="chunks"/> including its null terminator
    /// and padding, or <see cref="Malformed"/> when it does not fit.
    /// </summary>
    internal static int MeasureChunk(ReadOnlySpan<byte> chunks)
    {
        int offset = SsrcLength;
        while (offset < chunks.Length)
        {
            if (chunks[offset] == (byte)SdesItemType.End)
            {
                int chunkLength = RtcpCommonHeader.AlignToWord(offset + 1);
                return chunkLength <= chunks.Length ? chunkLength : Malformed;
            }

            if (offset + SdesItemEnumerator.ItemHeaderLength > chunks.Length)
            {
                return Malformed;
            }

            offset += SdesItemEnumerator.ItemHeaderLength + chunks[offset + 1];
        }

        return Malformed;
    }
}
