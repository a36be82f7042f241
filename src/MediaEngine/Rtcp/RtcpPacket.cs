using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// One RTCP packet of a compound datagram, framed by its common header, the counterpart of
/// mediasoup's RTC::RTCP::Packet. The typed views (<see cref="SenderReportPacket"/>,
/// <see cref="FeedbackRtpNackPacket"/>, …) are parsed from it.
/// </summary>
public readonly ref struct RtcpPacket
{
    private RtcpPacket(ReadOnlySpan<byte> data, ReadOnlySpan<byte> body)
    {
        Data = data;
        Body = body;
    }

    /// <summary>The whole packet: header, body and padding.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The bytes after the common header, padding excluded.</summary>
    public ReadOnlySpan<byte> Body { get; }

    public RtcpPacketType Type => (RtcpPacketType)Data[1];

    /// <summary>Report count, source count or feedback message type, depending on <see cref="Type"/>.</summary>
    public int Count => Data[0] & RtcpCommonHeader.CountMask;

    public bool HasPadding => (Data[0] & RtcpCommonHeader.PaddingBit) != 0;

    public int Length => Data.Length;

    /// <summary>
    /// Frames the packet at the start of <paramref name="buffer"/>, which may hold further
    /// packets. Rejects a version other than 2, a length field running past the buffer and, as
    /// libwebrtc does, a padding count of zero or one larger than the body. Never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> buffer, out RtcpPacket packet)
    {
        packet = default;
        if (buffer.Length < RtcpCommonHeader.Length || buffer[0] >> 6 != RtcpCommonHeader.SupportedVersion)
        {
            return false;
        }

        int length = (BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]) + 1) * 4;
        if (length > buffer.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> data = buffer[..length];
        int bodyEnd = length;
        if ((data[0] & RtcpCommonHeader.PaddingBit) != 0)
        {
            int paddingLength = data[^1];
            if (paddingLength == 0 || paddingLength > length - RtcpCommonHeader.Length)
            {
                return false;
            }

            bodyEnd -= paddingLength;
        }

        packet = new RtcpPacket(data, data[RtcpCommonHeader.Length..bodyEnd]);
        return true;
    }
}
