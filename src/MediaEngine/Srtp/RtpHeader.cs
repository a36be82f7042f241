using System.Buffers.Binary;

namespace MediaEngine.Srtp;

/// <summary>The parts of the RTP header (RFC 3550 §5.1) SRTP needs.</summary>
internal static class RtpHeader
{
    public const int FixedLength = 12;
    private const int Version = 2;

    public static ushort SequenceNumber(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);

    public static uint Ssrc(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);

    /// <summary>Measures fixed header, CSRC list and header extension, all of which SRTP leaves unencrypted.</summary>
    public static bool TryGetLength(ReadOnlySpan<byte> packet, out int headerLength, out SrtpError error)
    {
        headerLength = 0;
        if (packet.Length < FixedLength)
        {
            error = SrtpError.PacketTooShort;
            return false;
        }

        if (packet[0] >> 6 != Version)
        {
            error = SrtpError.InvalidHeader;
            return false;
        }

        int length = FixedLength + (sizeof(uint) * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + sizeof(uint))
            {
                error = SrtpError.InvalidHeader;
                return false;
            }

            int extensionWords = BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]);
            length += sizeof(uint) * (1 + extensionWords);
        }

        if (length > packet.Length)
        {
            error = SrtpError.InvalidHeader;
            return false;
        }

        headerLength = length;
        error = SrtpError.None;
        return true;
    }
}
