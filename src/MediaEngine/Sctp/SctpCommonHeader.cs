using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>The 12-byte header every SCTP packet starts with (RFC 9260 §3.1).</summary>
public readonly record struct SctpCommonHeader(ushort SourcePort, ushort DestinationPort, uint VerificationTag)
{
    public const int Length = 12;

    /// <summary>Reads the header of a packet at least <see cref="Length"/> bytes long whose chunks are whole.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out SctpCommonHeader header)
    {
        if (packet.Length < Length)
        {
            header = default;
            return false;
        }

        header = new SctpCommonHeader(
            BinaryPrimitives.ReadUInt16BigEndian(packet),
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]));
        return true;
    }

    public void WriteTo(Span<byte> packet)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], VerificationTag);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], 0);
    }
}
