using System.Buffers.Binary;

namespace MediaEngine.Rtp.Packets;

/// <summary>
/// Composes an RTP packet into a caller's buffer: fixed header, one-byte header extensions
/// (RFC 8285) and payload. What consumers use to send a producer's packet with their own SSRC,
/// sequence numbers and negotiated extensions, without allocating.
/// </summary>
public ref struct RtpPacketWriter
{
    private const ushort OneByteProfile = 0xBEDE;
    private readonly Span<byte> _destination;
    private int _position;
    private int _extensionBlockStart = -1;

    public RtpPacketWriter(Span<byte> destination, byte payloadType, bool marker, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        _destination = destination;
        destination[0] = 0x80;
        destination[1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ssrc);
        _position = RtpPacket.FixedHeaderLength;
    }

    /// <summary>Appends a one-byte-form extension element (id 1–14, 1–16 bytes).</summary>
    public void AddExtension(int id, scoped ReadOnlySpan<byte> value)
    {
        if (id is < 1 or > RtpPacket.MaxOneByteExtensionId)
            throw new ArgumentOutOfRangeException(nameof(id), id, "one-byte extension ids are 1-14");
        if (value.Length is < 1 or > RtpPacket.MaxOneByteExtensionValueLength)
            throw new ArgumentOutOfRangeException(nameof(value), value.Length, "one-byte extension values are 1-16 bytes");
        if (_extensionBlockStart < 0)
        {
            _extensionBlockStart = _position;
            BinaryPrimitives.WriteUInt16BigEndian(_destination[_position..], OneByteProfile);
            _position += 4;
        }
        _destination[_position++] = (byte)((id << 4) | (value.Length - 1));
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }

    /// <summary>Closes the extension block (padded to 32 bits), copies the payload; returns the packet length.</summary>
    public int Finish(scoped ReadOnlySpan<byte> payload)
    {
        if (_extensionBlockStart >= 0)
        {
            _destination[0] |= 0x10;
            while ((_position - _extensionBlockStart) % 4 != 0)
                _destination[_position++] = 0;
            var words = (_position - _extensionBlockStart - 4) / 4;
            BinaryPrimitives.WriteUInt16BigEndian(_destination[(_extensionBlockStart + 2)..], (ushort)words);
        }
        payload.CopyTo(_destination[_position..]);
        return _position + payload.Length;
    }
}
