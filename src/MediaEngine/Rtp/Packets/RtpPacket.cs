using System.Buffers.Binary;

namespace MediaEngine.Rtp.Packets;

/// <summary>
/// Allocation-free view over an RTP packet (RFC 3550 §5.1), the counterpart of mediasoup's
/// RTC::RtpPacket. <see cref="TryParse(Span{byte}, int, out RtpPacket)"/> validates the framing
/// once; the accessors then read and write the packet bytes in place. The buffer may be larger
/// than the packet: the spare room lets <see cref="TrySetPaddingLength"/> and
/// <see cref="TryRtxEncode"/> grow the packet without copying it elsewhere.
/// </summary>
public ref partial struct RtpPacket
{
    public const int FixedHeaderLength = 12;
    public const int MaxPaddingLength = byte.MaxValue;

    private const int SupportedVersion = 2;
    private const byte PaddingBit = 0x20;
    private const byte ExtensionBit = 0x10;
    private const byte CsrcCountMask = 0x0F;
    private const byte MarkerBit = 0x80;
    private const byte PayloadTypeMask = 0x7F;
    private const int CsrcLength = 4;
    private const int SequenceNumberOffset = 2;
    private const int TimestampOffset = 4;
    private const int SsrcOffset = 8;

    private readonly Span<byte> _buffer;
    private readonly int _headerLength;
    private int _length;
    private int _paddingLength;

    private RtpPacket(Span<byte> buffer, int length, int headerLength, int paddingLength)
    {
        _buffer = buffer;
        _length = length;
        _headerLength = headerLength;
        _paddingLength = paddingLength;
    }

    /// <summary>The packet as it currently stands: header, payload and padding.</summary>
    public readonly Span<byte> Data => _buffer[.._length];

    public readonly int Length => _length;

    /// <summary>Fixed header, CSRCs and the header extension block.</summary>
    public readonly int HeaderLength => _headerLength;

    public readonly bool Marker
    {
        get => (_buffer[1] & MarkerBit) != 0;
        set => _buffer[1] = (byte)(value ? _buffer[1] | MarkerBit : _buffer[1] & ~MarkerBit);
    }

    public readonly byte PayloadType
    {
        get => (byte)(_buffer[1] & PayloadTypeMask);
        set
        {
            EnsureValidPayloadType(value);
            _buffer[1] = (byte)((_buffer[1] & MarkerBit) | value);
        }
    }

    public readonly ushort SequenceNumber
    {
        get => BinaryPrimitives.ReadUInt16BigEndian(_buffer[SequenceNumberOffset..]);
        set => BinaryPrimitives.WriteUInt16BigEndian(_buffer[SequenceNumberOffset..], value);
    }

    public readonly uint Timestamp
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[TimestampOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[TimestampOffset..], value);
    }

    public readonly uint Ssrc
    {
        get => BinaryPrimitives.ReadUInt32BigEndian(_buffer[SsrcOffset..]);
        set => BinaryPrimitives.WriteUInt32BigEndian(_buffer[SsrcOffset..], value);
    }

    public readonly int CsrcCount => _buffer[0] & CsrcCountMask;

    public readonly Span<byte> Payload => _buffer[_headerLength..PayloadEnd];

    public readonly int PayloadLength => PayloadEnd - _headerLength;

    /// <summary>Padding bytes at the end of the packet, the count byte included; 0 without padding.</summary>
    public readonly int PaddingLength => _paddingLength;

    private readonly int PayloadEnd => _length - _paddingLength;

    private readonly int CsrcEnd => FixedHeaderLength + CsrcCount * CsrcLength;

    /// <summary>Parses a buffer holding exactly one RTP packet, leaving no room to grow it.</summary>
    public static bool TryParse(Span<byte> packet, out RtpPacket rtpPacket) =>
        TryParse(packet, packet.Length, out rtpPacket);

    /// <summary>
    /// Accepts the first <paramref name="length"/> bytes of <paramref name="buffer"/> if they form
    /// an RTP packet: version 2, CSRCs and extension block inside the packet, and a padding count
    /// of at least one that does not reach into the header. Never throws.
    /// </summary>
    public static bool TryParse(Span<byte> buffer, int length, out RtpPacket rtpPacket)
    {
        rtpPacket = default;
        if (length < FixedHeaderLength || length > buffer.Length || buffer[0] >> 6 != SupportedVersion)
        {
            return false;
        }

        int headerLength = FixedHeaderLength + (buffer[0] & CsrcCountMask) * CsrcLength;
        if ((buffer[0] & ExtensionBit) != 0)
        {
            if (headerLength + ExtensionBlockHeaderLength > length)
            {
                return false;
            }

            int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(buffer[(headerLength + 2)..]) * 4;
            headerLength += ExtensionBlockHeaderLength + bodyLength;
        }

        if (headerLength > length)
        {
            return false;
        }

        int paddingLength = 0;
        if ((buffer[0] & PaddingBit) != 0)
        {
            paddingLength = buffer[length - 1];
            if (paddingLength == 0 || paddingLength > length - headerLength)
            {
                return false;
            }
        }

        rtpPacket = new RtpPacket(buffer, length, headerLength, paddingLength);
        return true;
    }

    public readonly uint GetCsrc(int index) =>
        BinaryPrimitives.ReadUInt32BigEndian(_buffer[CsrcOffset(index)..]);

    public readonly void SetCsrc(int index, uint csrc) =>
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[CsrcOffset(index)..], csrc);

    /// <summary>
    /// Replaces the padding with <paramref name="paddingLength"/> bytes (zeros, then the count), or
    /// removes it when 0. False, with the packet unchanged, when the buffer has no room for it.
    /// </summary>
    public bool TrySetPaddingLength(int paddingLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(paddingLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(paddingLength, MaxPaddingLength);
        int payloadEnd = PayloadEnd;
        if (payloadEnd + paddingLength > _buffer.Length)
        {
            return false;
        }

        if (paddingLength == 0)
        {
            RemovePadding(payloadEnd);
            return true;
        }

        _buffer.Slice(payloadEnd, paddingLength - 1).Clear();
        _buffer[payloadEnd + paddingLength - 1] = (byte)paddingLength;
        _buffer[0] |= PaddingBit;
        _paddingLength = paddingLength;
        _length = payloadEnd + paddingLength;
        return true;
    }

    private void RemovePadding(int payloadEnd)
    {
        _buffer[0] &= unchecked((byte)~PaddingBit);
        _paddingLength = 0;
        _length = payloadEnd;
    }

    private readonly int CsrcOffset(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return FixedHeaderLength + index * CsrcLength;
    }

    private static void EnsureValidPayloadType(byte payloadType) =>
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, PayloadTypeMask);
}
