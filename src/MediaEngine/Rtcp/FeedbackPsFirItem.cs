using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// One FIR entry (RFC 5104 §4.3.1.1): the SSRC asked for a decoder refresh and the command
/// sequence number, which the requester increments for each new request.
/// </summary>
public readonly record struct FeedbackPsFirItem(uint Ssrc, byte SequenceNumber)
{
    public const int Length = 8;

    internal static FeedbackPsFirItem Read(ReadOnlySpan<byte> item) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(item), item[4]);

    internal void Write(Span<byte> item)
    {
        BinaryPrimitives.WriteUInt32BigEndian(item, Ssrc);
        item[4] = SequenceNumber;
        item[5..Length].Clear();
    }
}
