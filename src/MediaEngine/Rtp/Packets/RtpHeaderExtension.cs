namespace MediaEngine.Rtp.Packets;

/// <summary>
/// One element of an RTP header extension block. <see cref="Value"/> points into the packet, so
/// writing to it changes the packet in place.
/// </summary>
public readonly ref struct RtpHeaderExtension
{
    internal RtpHeaderExtension(int id, Span<byte> value, int elementOffset, int elementHeaderLength)
    {
        Id = id;
        Value = value;
        ElementOffset = elementOffset;
        ElementHeaderLength = elementHeaderLength;
    }

    public int Id { get; }

    public Span<byte> Value { get; }

    /// <summary>Offset of the element's id byte inside the extension block body.</summary>
    internal int ElementOffset { get; }

    internal int ElementHeaderLength { get; }

    internal int ElementLength => ElementHeaderLength + Value.Length;
}
