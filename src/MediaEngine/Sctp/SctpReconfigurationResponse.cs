using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// Re-configuration Response parameter (RFC 6525 §4.4): the result of the request with the same
/// sequence number. The two next-TSN fields only follow SSN/TSN reset requests, which this
/// implementation never makes, so they are read when present and never written.
/// </summary>
public readonly ref struct SctpReconfigurationResponse
{
    public const int Length = SctpParameter.HeaderLength + 8;

    private SctpReconfigurationResponse(uint responseSequenceNumber, SctpReconfigurationResult result)
    {
        ResponseSequenceNumber = responseSequenceNumber;
        Result = result;
    }

    public uint ResponseSequenceNumber { get; }

    public SctpReconfigurationResult Result { get; }

    public static bool TryParse(SctpParameter parameter, out SctpReconfigurationResponse response)
    {
        if (parameter.Type != SctpParameterType.ReconfigurationResponse || parameter.Bytes.Length is not (Length or Length + 8))
        {
            response = default;
            return false;
        }

        response = new SctpReconfigurationResponse(
            BinaryPrimitives.ReadUInt32BigEndian(parameter.Value),
            (SctpReconfigurationResult)BinaryPrimitives.ReadUInt32BigEndian(parameter.Value[4..]));
        return true;
    }

    /// <summary>Writes the parameter and returns its length.</summary>
    public static int Write(Span<byte> destination, uint responseSequenceNumber, SctpReconfigurationResult result)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)SctpParameterType.ReconfigurationResponse);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], responseSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)result);
        return Length;
    }
}
