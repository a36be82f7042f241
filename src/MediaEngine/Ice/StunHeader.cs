using System.Buffers.Binary;

namespace MediaEngine.Ice;

/// <summary>
/// Layout of the 20-byte STUN message header (RFC 5389 §6): message type, body length,
/// magic cookie and transaction id.
/// </summary>
public static class StunHeader
{
    public const int Length = 20;
    public const int TransactionIdLength = 12;
    public const uint MagicCookie = 0x2112A442;

    internal const int BodyLengthOffset = 2;
    internal const int MagicCookieOffset = 4;
    internal const int TransactionIdOffset = 8;

    internal static ushort EncodeMessageType(StunMessageClass messageClass, StunMethod method)
    {
        int methodBits = (int)method;
        int classBits = (int)messageClass;
        // The class bits are interleaved into the method bits at positions 4 and 8.
        return (ushort)((methodBits & 0x000F)
            | ((methodBits & 0x0070) << 1)
            | ((methodBits & 0x0F80) << 2)
            | ((classBits & 0b01) << 4)
            | ((classBits & 0b10) << 7));
    }

    internal static StunMessageClass DecodeClass(ushort messageType) =>
        (StunMessageClass)(((messageType >> 4) & 0b01) | ((messageType >> 7) & 0b10));

    internal static StunMethod DecodeMethod(ushort messageType) =>
        (StunMethod)((messageType & 0x000F) | ((messageType >> 1) & 0x0070) | ((messageType >> 2) & 0x0F80));

    internal static void WriteBodyLength(Span<byte> message, int bodyLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(message[BodyLengthOffset..], (ushort)bodyLength);
}
