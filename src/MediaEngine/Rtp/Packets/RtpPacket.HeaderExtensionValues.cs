using System.Buffers.Binary;

namespace MediaEngine.Rtp.Packets;

/// <summary>
/// Readers and writers for the values of the header extensions an SFU inspects, each given the id
/// negotiated for it. A value of the wrong length counts as absent, as in mediasoup.
/// </summary>
public ref partial struct RtpPacket
{
    private const int AbsSendTimeLength = 3;
    private const int TransportWideSequenceNumberLength = 2;
    private const byte VoiceActivityBit = 0x80;
    private const byte AudioLevelMask = 0x7F;
    private const byte CameraBit = 0x08;
    private const byte FlipBit = 0x04;
    private const byte RotationMask = 0x03;

    /// <summary>urn:ietf:params:rtp-hdrext:sdes:mid, as the raw bytes of the MID.</summary>
    public readonly bool TryReadMid(int id, out ReadOnlySpan<byte> mid) => TryReadText(id, out mid);

    /// <summary>urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id, as the raw bytes of the RID.</summary>
    public readonly bool TryReadRid(int id, out ReadOnlySpan<byte> rid) => TryReadText(id, out rid);

    /// <summary>urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id, as the raw bytes of the RID.</summary>
    public readonly bool TryReadRepairedRid(int id, out ReadOnlySpan<byte> repairedRid) => TryReadText(id, out repairedRid);

    /// <summary>abs-send-time: a 24-bit 6.18 fixed-point number of seconds.</summary>
    public readonly bool TryReadAbsSendTime(int id, out uint absSendTime)
    {
        absSendTime = 0;
        if (!TryGetHeaderExtension(id, out Span<byte> value) || value.Length != AbsSendTimeLength)
        {
            return false;
        }

        absSendTime = (uint)((value[0] << 16) | (value[1] << 8) | value[2]);
        return true;
    }

    /// <summary>Overwrites abs-send-time with the low 24 bits of <paramref name="absSendTime"/>.</summary>
    public readonly bool TryWriteAbsSendTime(int id, uint absSendTime)
    {
        if (!TryGetHeaderExtension(id, out Span<byte> value) || value.Length != AbsSendTimeLength)
        {
            return false;
        }

        value[0] = (byte)(absSendTime >> 16);
        value[1] = (byte)(absSendTime >> 8);
        value[2] = (byte)absSendTime;
        return true;
    }

    /// <summary>draft-holmer-rmcat-transport-wide-cc-extensions-01 sequence number.</summary>
    public readonly bool TryReadTransportWideSequenceNumber(int id, out ushort sequenceNumber)
    {
        sequenceNumber = 0;
        if (!TryGetHeaderExtension(id, out Span<byte> value) || value.Length != TransportWideSequenceNumberLength)
        {
            return false;
        }

        sequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(value);
        return true;
    }

    public readonly bool TryWriteTransportWideSequenceNumber(int id, ushort sequenceNumber)
    {
        if (!TryGetHeaderExtension(id, out Span<byte> value) || value.Length != TransportWideSequenceNumberLength)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(value, sequenceNumber);
        return true;
    }

    /// <summary>
    /// RFC 6464 client-to-mixer audio level: <paramref name="level"/> is the level in -dBov
    /// (0 loudest, 127 silence) and <paramref name="voice"/> the V flag.
    /// </summary>
    public readonly bool TryReadSsrcAudioLevel(int id, out byte level, out bool voice)
    {
        level = 0;
        voice = false;
        if (!TryGetHeaderExtension(id, out Span<byte> value) || value.Length != 1)
        {
            return false;
        }

        level = (byte)(value[0] & AudioLevelMask);
        voice = (value[0] & VoiceActivityBit) != 0;
        return true;
    }

    /// <summary>
    /// 3GPP TS 26.114 coordination of video orientation: <paramref name="camera"/> is the C bit
    /// (back-facing), <paramref name="flip"/> the F bit and <paramref name="rotation"/> the
    /// clockwise rotation in degrees (0, 90, 180 or 270).
    /// </summary>
    public readonly bool TryReadVideoOrientation(int id, out bool camera, out bool flip, out ushort rotation)
    {
        camera = false;
        flip = false;
        rotation = 0;
        if (!TryGetHeaderExtension(id, out Span<byte> value) || value.Length != 1)
        {
            return false;
        }

        camera = (value[0] & CameraBit) != 0;
        flip = (value[0] & FlipBit) != 0;
        rotation = (ushort)((value[0] & RotationMask) * 90);
        return true;
    }

    private readonly bool TryReadText(int id, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (!TryGetHeaderExtension(id, out Span<byte> value) || value.IsEmpty)
        {
            return false;
        }

        text = value;
        return true;
    }
}
