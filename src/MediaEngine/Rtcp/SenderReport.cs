using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// The sender information of an SR packet (RFC 3550 §6.4.1), named after mediasoup's
/// RTC::RTCP::SenderReport. <see cref="NtpTimestamp"/> is the 64-bit NTP time: seconds since
/// 1900 in the high word, the fraction of a second in the low word.
/// </summary>
public readonly record struct SenderReport(
    uint Ssrc,
    ulong NtpTimestamp,
    uint RtpTimestamp,
    uint PacketCount,
    uint OctetCount)
{
    public const int Length = 24;

    public uint NtpSeconds => (uint)(NtpTimestamp >> 32);

    public uint NtpFraction => (uint)NtpTimestamp;

    /// <summary>The middle 32 bits of the NTP timestamp, which receivers echo as LSR.</summary>
    public uint CompactNtp => (uint)(NtpTimestamp >> 16);

    internal static SenderReport Read(ReadOnlySpan<byte> senderInfo) => new(
        BinaryPrimitives.ReadUInt32BigEndian(senderInfo),
        BinaryPrimitives.ReadUInt64BigEndian(senderInfo[4..]),
        BinaryPrimitives.ReadUInt32BigEndian(senderInfo[12..]),
        BinaryPrimitives.ReadUInt32BigEndian(senderInfo[16..]),
        BinaryPrimitives.ReadUInt32BigEndian(senderInfo[20..]));

    internal void Write(Span<byte> senderInfo)
    {
        BinaryPrimitives.WriteUInt32BigEndian(senderInfo, Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(senderInfo[4..], NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(senderInfo[12..], RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(senderInfo[16..], PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(senderInfo[20..], OctetCount);
    }
}
