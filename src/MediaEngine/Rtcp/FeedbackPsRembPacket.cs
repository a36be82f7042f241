using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// View over a Receiver Estimated Maximum Bitrate message (draft-alvestrand-rmcat-remb-03): an
/// application-layer feedback packet (PSFB, FMT 15) whose FCI starts with "REMB", then the SSRC
/// count, the bitrate as a 6-bit exponent and 18-bit mantissa, and the SSRCs it applies to.
/// </summary>
public readonly ref struct FeedbackPsRembPacket
{
    public const int MaxSsrcCount = byte.MaxValue;

    private const uint UniqueIdentifier = 0x52454D42; // "REMB"
    private const int SsrcListOffset = 8;
    private const int SsrcLength = 4;
    private const int MantissaBits = 18;
    private const uint MaxMantissa = (1 << MantissaBits) - 1;

    private readonly ReadOnlySpan<byte> _body;

    private FeedbackPsRembPacket(ReadOnlySpan<byte> body, ulong bitrate, int ssrcCount)
    {
        _body = body;
        Bitrate = bitrate;
        SsrcCount = ssrcCount;
    }

    public uint SenderSsrc => FeedbackPacketLayout.ReadSenderSsrc(_body);

    /// <summary>Bits per second.</summary>
    public ulong Bitrate { get; }

    public int SsrcCount { get; }

    /// <summary>
    /// Accepts an application-layer feedback packet carrying REMB whose SSRC list fits. A bitrate
    /// that overflows 64 bits is rejected, as mediasoup does.
    /// </summary>
    public static bool TryParse(RtcpPacket packet, out FeedbackPsRembPacket rembPacket)
    {
        rembPacket = default;
        if (!FeedbackPacketLayout.TryGetFci(packet, RtcpPacketType.PayloadSpecificFeedback, (byte)FeedbackPsMessageType.ApplicationLayer, out ReadOnlySpan<byte> fci)
            || fci.Length < SsrcListOffset
            || BinaryPrimitives.ReadUInt32BigEndian(fci) != UniqueIdentifier)
        {
            return false;
        }

        int ssrcCount = fci[4];
        int exponent = fci[5] >> 2;
        ulong mantissa = ((ulong)(fci[5] & 0x03) << 16) | ((ulong)fci[6] << 8) | fci[7];
        ulong bitrate = mantissa << exponent;
        if (fci.Length < SsrcListOffset + ssrcCount * SsrcLength || bitrate >> exponent != mantissa)
        {
            return false;
        }

        rembPacket = new FeedbackPsRembPacket(packet.Body, bitrate, ssrcCount);
        return true;
    }

    public uint GetSsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(
            _body[(FeedbackPacketLayout.SsrcsLength + SsrcListOffset + index * SsrcLength)..]);
    }

    public static int GetLength(int ssrcCount) => FeedbackPacketLayout.FciOffset + SsrcListOffset + ssrcCount * SsrcLength;

    /// <summary>
    /// Writes a REMB packet and returns its length. The bitrate is rounded down to what an
    /// 18-bit mantissa with the smallest sufficient exponent can express; the media SSRC is 0.
    /// </summary>
    public static int Write(Span<byte> destination, uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs)
    {
        if (ssrcs.Length > MaxSsrcCount)
        {
            throw new ArgumentException($"A REMB packet holds at most {MaxSsrcCount} SSRCs.", nameof(ssrcs));
        }

        int length = GetLength(ssrcs.Length);
        FeedbackPacketLayout.WriteHeader(
            destination, RtcpPacketType.PayloadSpecificFeedback, (byte)FeedbackPsMessageType.ApplicationLayer, length, senderSsrc, 0);
        int exponent = 0;
        while (bitrate >> exponent > MaxMantissa)
        {
            exponent++;
        }

        uint mantissa = (uint)(bitrate >> exponent);
        Span<byte> fci = destination[FeedbackPacketLayout.FciOffset..];
        BinaryPrimitives.WriteUInt32BigEndian(fci, UniqueIdentifier);
        fci[4] = (byte)ssrcs.Length;
        fci[5] = (byte)((exponent << 2) | (int)(mantissa >> 16));
        fci[6] = (byte)(mantissa >> 8);
        fci[7] = (byte)mantissa;
        for (int index = 0; index < ssrcs.Length; index++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(fci[(SsrcListOffset + index * SsrcLength)..], ssrcs[index]);
        }

        return length;
    }
}
