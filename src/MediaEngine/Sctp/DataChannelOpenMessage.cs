using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace MediaEngine.Sctp;

/// <summary>
/// DATA_CHANNEL_OPEN (RFC 8832 §5.1), sent with PPID 50 on the stream of the new channel; the
/// peer answers with DATA_CHANNEL_ACK (<see cref="AckMessage"/>) on the same stream.
/// </summary>
public sealed record DataChannelOpenMessage(
    DataChannelType ChannelType, ushort Priority, uint ReliabilityParameter, string Label, string Protocol)
{
    private const int FixedLength = 12;

    /// <summary>The whole DATA_CHANNEL_ACK message (RFC 8832 §5.2).</summary>
    public static ReadOnlySpan<byte> AckMessage => [(byte)DataChannelMessageType.Ack];

    public bool IsOrdered => ((byte)ChannelType & 0x80) == 0;

    public int Length => FixedLength + Encoding.UTF8.GetByteCount(Label) + Encoding.UTF8.GetByteCount(Protocol);

    public static bool IsAck(ReadOnlySpan<byte> message) => message.Length == 1 && message[0] == (byte)DataChannelMessageType.Ack;

    /// <summary>False for anything but a well-formed DATA_CHANNEL_OPEN with a known channel type and UTF-8 label and protocol.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, [NotNullWhen(true)] out DataChannelOpenMessage? open)
    {
        open = null;
        if (message.Length < FixedLength || message[0] != (byte)DataChannelMessageType.Open || !Enum.IsDefined((DataChannelType)message[1]))
        {
            return false;
        }

        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (message.Length != FixedLength + labelLength + protocolLength)
        {
            return false;
        }

        var label = message.Slice(FixedLength, labelLength);
        var protocol = message.Slice(FixedLength + labelLength, protocolLength);
        if (!Utf8.IsValid(label) || !Utf8.IsValid(protocol))
        {
            return false;
        }

        open = new DataChannelOpenMessage(
            (DataChannelType)message[1],
            BinaryPrimitives.ReadUInt16BigEndian(message[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(message[4..]),
            Encoding.UTF8.GetString(label),
            Encoding.UTF8.GetString(protocol));
        return true;
    }

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)DataChannelMessageType.Open;
        destination[1] = (byte)ChannelType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Priority);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ReliabilityParameter);
        int labelLength = Encoding.UTF8.GetBytes(Label, destination[FixedLength..]);
        int protocolLength = Encoding.UTF8.GetBytes(Protocol, destination[(FixedLength + labelLength)..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], checked((ushort)labelLength));
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], checked((ushort)protocolLength));
        return FixedLength + labelLength + protocolLength;
    }

    public byte[] ToArray()
    {
        var message = new byte[Length];
        WriteTo(message);
        return message;
    }
}
