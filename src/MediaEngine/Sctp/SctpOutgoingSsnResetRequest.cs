using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// Outgoing SSN Reset Request parameter (RFC 6525 §4.1): the sender resets its outgoing streams
/// (all of them when the list is empty) once the receiver has every TSN up to the last one it assigned.
/// </summary>
public readonly ref struct SctpOutgoingSsnResetRequest
{
    private const int FixedLength = SctpParameter.HeaderLength + 12;

    private readonly ReadOnlySpan<byte> _streamIds;

    private SctpOutgoingSsnResetRequest(uint requestSequenceNumber, uint responseSequenceNumber, uint sendersLastAssignedTsn, ReadOnlySpan<byte> streamIds)
    {
        RequestSequenceNumber = requestSequenceNumber;
        ResponseSequenceNumber = responseSequenceNumber;
        SendersLastAssignedTsn = sendersLastAssignedTsn;
        _streamIds = streamIds;
    }

    public uint RequestSequenceNumber { get; }

    public uint ResponseSequenceNumber { get; }

    public uint SendersLastAssignedTsn { get; }

    public int StreamCount => _streamIds.Length / 2;

    public ushort GetStreamId(int index) => BinaryPrimitives.ReadUInt16BigEndian(_streamIds[(index * 2)..]);

    public static int LengthFor(int streamCount) => FixedLength + (2 * streamCount);

    public static bool TryParse(SctpParameter parameter, out SctpOutgoingSsnResetRequest request)
    {
        if (parameter.Type != SctpParameterType.OutgoingSsnResetRequest || parameter.Bytes.Length < FixedLength
            || (parameter.Bytes.Length - FixedLength) % 2 != 0)
        {
            request = default;
            return false;
        }

        var value = parameter.Value;
        request = new SctpOutgoingSsnResetRequest(
            BinaryPrimitives.ReadUInt32BigEndian(value),
            BinaryPrimitives.ReadUInt32BigEndian(value[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[8..]),
            value[12..]);
        return true;
    }

    /// <summary>Writes the parameter and returns its length without padding.</summary>
    public static int Write(
        Span<byte> destination, uint requestSequenceNumber, uint responseSequenceNumber, uint sendersLastAssignedTsn, ReadOnlySpan<ushort> streamIds)
    {
        int length = LengthFor(streamIds.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)SctpParameterType.OutgoingSsnResetRequest);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)length));
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], requestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], responseSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], sendersLastAssignedTsn);
        for (int i = 0; i < streamIds.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(FixedLength + (2 * i))..], streamIds[i]);
        }

        destination.Slice(length, SctpChunk.PaddedLength(length) - length).Clear();
        return length;
    }
}
