namespace MediaEngine.Sctp;

/// <summary>One DATA chunk to send: a slice of a message's payload and the TSN it travels under.</summary>
internal readonly record struct SctpDataFragment(SctpOutgoingMessage Message, uint Tsn, int Offset, int Length, SctpDataChunkFlags Flags)
{
    public int Write(Span<byte> destination) => SctpDataChunk.Write(
        destination, Flags, Tsn, Message.StreamId, Message.Unordered ? (ushort)0 : Message.Ssn, Message.Ppid,
        Message.Payload.AsSpan(Offset, Length));
}
