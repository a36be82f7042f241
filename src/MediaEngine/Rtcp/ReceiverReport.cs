using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// One report block of an SR or RR packet (RFC 3550 §6.4.1), named after mediasoup's
/// RTC::RTCP::ReceiverReport. <see cref="TotalLost"/> is the signed 24-bit cumulative loss
/// (negative when duplicates outnumber losses); <see cref="FractionLost"/> is in 1/256 units.
/// </summary>
public readonly record struct ReceiverReport(
    uint Ssrc,
    byte FractionLost,
    int TotalLost,
    uint ExtendedHighestSequenceNumber,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    public const int Length = 24;
    public const int MinTotalLost = -0x800000;
    public const int MaxTotalLost = 0x7FFFFF;

    internal static ReceiverReport Read(ReadOnlySpan<byte> block)
    {
        uint lossWord = BinaryPrimitives.ReadUInt32BigEndian(block[4..]);
        // Shifting the 24-bit field into the top of an int and back sign-extends it.
        int totalLost = (int)(lossWord << 8) >> 8;
        return new ReceiverReport(
            BinaryPrimitives.ReadUInt32BigEndian(block),
            (byte)(lossWord >> 24),
            totalLost,
            BinaryPrimitives.ReadUInt32BigEndian(block[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[20..]));
    }

    /// <summary>Writes the block, clamping <see cref="TotalLost"/> to 24 bits as RFC 3550 §A.3 does.</summary>
    internal void Write(Span<byte> block)
    {
        int totalLost = Math.Clamp(TotalLost, MinTotalLost, MaxTotalLost);
        BinaryPrimitives.WriteUInt32BigEndian(block, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(block[4..], ((uint)FractionLost << 24) | ((uint)totalLost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(block[8..], ExtendedHighestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(block[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(block[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(block[20..], DelaySinceLastSenderReport);
    }

    internal static void WriteAll(ReadOnlySpan<ReceiverReport> reports, Span<byte> destination)
    {
        for (int index = 0; index < reports.Length; index++)
        {
            reports[index].Write(destination[(index * Length)..]);
        }
    }
}
