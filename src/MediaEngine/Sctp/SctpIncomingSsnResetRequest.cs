using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// Incoming SSN Reset Request parameter (RFC 6525 §4.2): asks the receiver to reset its outgoing
/// streams (all of them when the list is empty).
/// </summary>
public readonly ref struct SctpIncomingSsnResetRequest
{
    private const int FixedLength = SctpParameter.HeaderLength + 4;

    private readonly ReadOnlySpan<byte> _streamIds;

    private SctpIncomingSsnResetRequest(uint requestSequenceNumber, ReadOnlySpan<byte> streamIds)
    {
        RequestSequenceNumber = requestSequenceNumber;
        _streamIds = streamIds;
    }

    public uint RequestSequenceNumber { get; }

    public int StreamCount => _streamIds.Length / 2;

    public ushort GetStreamId(int index) => BinaryPrimitives.ReadUInt16BigEndian(_streamIds[(index * 2)..]);

    public static bool TryParse(SctpParameter parameter, out SctpIncomingSsnResetRequest request)
    {
        if (parameter.Type != SctpParameterType.IncomingSsnResetRequest || parameter.Bytes.Length < FixedLength
            || (parameter.Bytes.Length - FixedLength) % 2 != 0)
        {
            request = default;
            return false;
        }

        request = new SctpIncomingSsnResetRequest(BinaryPrimitives.ReadUInt32BigEndian(parameter.Value), parameter.Value[4..]);
        return true;
    }

    /// <summary>Writes the parameter and returns its length without padding.</summary>
    public static int Write(Span<byte> destination, uint requestSequenceNumber, ReadOnlySpan<ushort> streamIds)
    {
        int length = FixedLength + (2 * streamIds.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)SctpParameterType.IncomingSsnResetRequest);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)length));
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], requestSequenceNumber);
        for (int i = 0; i < streamIds.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(FixedLength + (2 * i))..], streamIds[i]);
        }

        destination.Slice(length, SctpChunk.PaddedLength(length) - length).Clear();
        return length;
    }
}
