using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// One generic NACK entry (RFC 4585 §6.2.1): <see cref="PacketId"/> is lost, and bit i of
/// <see cref="LostPacketBitmask"/> (least significant first) reports <c>PacketId + i + 1</c> lost.
/// </summary>
public readonly record struct FeedbackRtpNackItem(ushort PacketId, ushort LostPacketBitmask)
{
    public const int Length = 4;

    private const int BitmaskSpan = 16;

    /// <summary>
    /// Packs lost sequence numbers, in ascending order across wrap-around, into as few items as
    /// that order allows and returns how many it wrote. Repeated numbers are reported once.
    /// </summary>
    public static int Pack(ReadOnlySpan<ushort> lostSequenceNumbers, Span<FeedbackRtpNackItem> items)
    {
        int count = 0;
        ushort packetId = 0;
        ushort bitmask = 0;
        foreach (ushort sequenceNumber in lostSequenceNumbers)
        {
            int distance = (ushort)(sequenceNumber - packetId);
            if (count > 0 && distance == 0)
            {
                continue;
            }

            if (count > 0 && distance <= BitmaskSpan)
            {
                bitmask |= (ushort)(1 << (distance - 1));
                items[count - 1] = new FeedbackRtpNackItem(packetId, bitmask);
                continue;
            }

            if (count == items.Length)
            {
                throw new ArgumentException("The destination cannot hold the NACK items.", nameof(items));
            }

            packetId = sequenceNumber;
            bitmask = 0;
            items[count++] = new FeedbackRtpNackItem(packetId, bitmask);
        }

        return count;
    }

    internal static FeedbackRtpNackItem Read(ReadOnlySpan<byte> item) => new(
        BinaryPrimitives.ReadUInt16BigEndian(item),
        BinaryPrimitives.ReadUInt16BigEndian(item[2..]));

    internal void Write(Span<byte> item)
    {
        BinaryPrimitives.WriteUInt16BigEndian(item, PacketId);
        BinaryPrimitives.WriteUInt16BigEndian(item[2..], LostPacketBitmask);
    }
}
