using System.Buffers.Binary;

namespace MediaEngine.Rtp.Packets;

/// <summary>RTX retransmission format (RFC 4588 §4), in place, as mediasoup's RtxEncode/RtxDecode.</summary>
public ref partial struct RtpPacket
{
    public const int OriginalSequenceNumberLength = 2;

    /// <summary>
    /// Turns the packet into its RTX form: the original sequence number is prepended to the
    /// payload and payload type, SSRC and sequence number become the RTX stream's. Padding is
    /// dropped. False, with the packet unchanged, when the buffer lacks the two bytes of room.
    /// </summary>
    public bool TryRtxEncode(byte payloadType, uint ssrc, ushort sequenceNumber)
    {
        EnsureValidPayloadType(payloadType);
        int payloadLength = PayloadLength;
        if (_headerLength + OriginalSequenceNumberLength + payloadLength > _buffer.Length)
        {
            return false;
        }

        Span<byte> payloadArea = _buffer[_headerLength..];
        payloadArea[..payloadLength].CopyTo(payloadArea[OriginalSequenceNumberLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(payloadArea, SequenceNumber);
        RemovePadding(_headerLength + OriginalSequenceNumberLength + payloadLength);
        PayloadType = payloadType;
        Ssrc = ssrc;
        SequenceNumber = sequenceNumber;
        return true;
    }

    /// <summary>
    /// Restores the original packet from its RTX form: the sequence number is taken back from the
    /// payload and payload type and SSRC become the original stream's. Padding is dropped. False,
    /// with the packet unchanged, when the payload is too short to hold an original sequence number.
    /// </summary>
    public bool TryRtxDecode(byte payloadType, uint ssrc)
    {
        EnsureValidPayloadType(payloadType);
        int payloadLength = PayloadLength;
        if (payloadLength < OriginalSequenceNumberLength)
        {
            return false;
        }

        Span<byte> payload = Payload;
        ushort originalSequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(payload);
        payload[OriginalSequenceNumberLength..].CopyTo(payload);
        RemovePadding(_headerLength + payloadLength - OriginalSequenceNumberLength);
        PayloadType = payloadType;
        Ssrc = ssrc;
        SequenceNumber = originalSequenceNumber;
        return true;
    }
}
