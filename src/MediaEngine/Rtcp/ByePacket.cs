using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>View over a BYE packet (RFC 3550 §6.6): the leaving sources and an optional reason.</summary>
public readonly ref struct ByePacket
{
    public const int MaxReasonLength = byte.MaxValue;

    private const int SsrcLength = 4;

    private readonly ReadOnlySpan<byte> _body;

    private ByePacket(ReadOnlySpan<byte> body, int ssrcCount, ReadOnlySpan<byte> reason)
    {
        _body = body;
        SsrcCount = ssrcCount;
        Reason = reason;
    }

    public int SsrcCount { get; }

    /// <summary>The raw UTF-8 reason for leaving; empty when none was given.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public static bool TryParse(RtcpPacket packet, out ByePacket byePacket)
    {
        byePacket = default;
        ReadOnlySpan<byte> body = packet.Body;
        int ssrcsLength = packet.Count * SsrcLength;
        if (packet.Type != RtcpPacketType.Bye || body.Length < ssrcsLength)
        {
            return false;
        }

        ReadOnlySpan<byte> reason = default;
        if (body.Length > ssrcsLength)
        {
            int reasonLength = body[ssrcsLength];
            if (ssrcsLength + 1 + reasonLength > body.Length)
            {
                return false;
            }

            reason = body.Slice(ssrcsLength + 1, reasonLength);
        }

        byePacket = new ByePacket(body, packet.Count, reason);
        return true;
    }

    public uint GetSsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_body[(index * SsrcLength)..]);
    }

    public static int GetLength(int ssrcCount, int reasonLength) =>
        RtcpCommonHeader.Length + ssrcCount * SsrcLength
        + (reasonLength == 0 ? 0 : RtcpCommonHeader.AlignToWord(1 + reasonLength));

    /// <summary>Writes a BYE packet, with a reason unless it is empty, and returns its length.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<uint> ssrcs, ReadOnlySpan<byte> reason)
    {
        RtcpCommonHeader.EnsureCountFits(ssrcs.Length, nameof(ssrcs));
        if (reason.Length > MaxReasonLength)
        {
            throw new ArgumentException($"A BYE reason holds at most {MaxReasonLength} bytes.", nameof(reason));
        }

        int length = GetLength(ssrcs.Length, reason.Length);
        RtcpCommonHeader.Write(destination, ssrcs.Length, RtcpPacketType.Bye, length);
        int offset = RtcpCommonHeader.Length;
        foreach (uint ssrc in ssrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], ssrc);
            offset += SsrcLength;
        }

        if (!reason.IsEmpty)
        {
            destination[offset] = (byte)reason.Length;
            reason.CopyTo(destination[(offset + 1)..]);
            destination[(offset + 1 + reason.Length)..length].Clear();
        }

        return length;
    }
}
