using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>SACK (RFC 9260 §3.3.4): cumulative TSN ack, receiver window, gap ack blocks and duplicate TSNs.</summary>
public readonly ref struct SctpSackChunk
{
    private const int FixedLength = SctpChunk.HeaderLength + 12;

    private readonly ReadOnlySpan<byte> _gapAckBlocks;
    private readonly ReadOnlySpan<byte> _duplicateTsns;

    private SctpSackChunk(uint cumulativeTsnAck, uint advertisedReceiverWindow, ReadOnlySpan<byte> gapAckBlocks, ReadOnlySpan<byte> duplicateTsns)
    {
        CumulativeTsnAck = cumulativeTsnAck;
        AdvertisedReceiverWindow = advertisedReceiverWindow;
        _gapAckBlocks = gapAckBlocks;
        _duplicateTsns = duplicateTsns;
    }

    public uint CumulativeTsnAck { get; }

    public uint AdvertisedReceiverWindow { get; }

    public int GapAckBlockCount => _gapAckBlocks.Length / 4;

    public int DuplicateTsnCount => _duplicateTsns.Length / 4;

    public SctpGapAckBlock GetGapAckBlock(int index) => new(
        BinaryPrimitives.ReadUInt16BigEndian(_gapAckBlocks[(index * 4)..]),
        BinaryPrimitives.ReadUInt16BigEndian(_gapAckBlocks[((index * 4) + 2)..]));

    public uint GetDuplicateTsn(int index) => BinaryPrimitives.ReadUInt32BigEndian(_duplicateTsns[(index * 4)..]);

    public static int LengthFor(int gapAckBlockCount, int duplicateTsnCount) => FixedLength + (4 * (gapAckBlockCount + duplicateTsnCount));

    public static bool TryParse(SctpChunk chunk, out SctpSackChunk sack)
    {
        sack = default;
        if (chunk.Type != SctpChunkType.Sack || chunk.Bytes.Length < FixedLength)
        {
            return false;
        }

        var value = chunk.Value;
        int gapCount = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        int duplicateCount = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
        if (chunk.Bytes.Length != LengthFor(gapCount, duplicateCount))
        {
            return false;
        }

        var lists = value[12..];
        sack = new SctpSackChunk(
            BinaryPrimitives.ReadUInt32BigEndian(value),
            BinaryPrimitives.ReadUInt32BigEndian(value[4..]),
            lists[..(gapCount * 4)],
            lists[(gapCount * 4)..]);
        return true;
    }

    public static int Write(
        Span<byte> destination, uint cumulativeTsnAck, uint advertisedReceiverWindow,
        ReadOnlySpan<SctpGapAckBlock> gapAckBlocks, ReadOnlySpan<uint> duplicateTsns)
    {
        int length = LengthFor(gapAckBlocks.Length, duplicateTsns.Length);
        SctpChunk.WriteHeader(destination, SctpChunkType.Sack, 0, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], cumulativeTsnAck);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], advertisedReceiverWindow);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], (ushort)gapAckBlocks.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)duplicateTsns.Length);
        int offset = FixedLength;
        foreach (var block in gapAckBlocks)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], block.Start);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], block.End);
            offset += 4;
        }

        foreach (uint tsn in duplicateTsns)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], tsn);
            offset += 4;
        }

        return length;
    }
}
