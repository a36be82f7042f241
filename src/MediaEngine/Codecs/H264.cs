using System.Buffers.Binary;

namespace MediaEngine.Codecs;

/// <summary>
/// H.264 RTP payloads (RFC 6184), as far as an SFU looks into them: key frame detection, as
/// mediasoup's RTC::Codecs::H264 but counting an IDR slice as well as an SPS.
/// </summary>
public static class H264
{
    private const byte NalUnitTypeMask = 0x1F;
    private const byte IdrSlice = 5;
    private const byte SequenceParameterSet = 7;
    private const byte SingleTimeAggregationPacket = 24;
    private const byte FragmentationUnitA = 28;
    private const byte FragmentationUnitB = 29;
    private const byte FragmentStartBit = 0x80;
    private const int NalUnitSizeLength = 2;

    /// <summary>
    /// Whether the payload starts a key frame: a single NAL unit that is an IDR slice or an SPS,
    /// a STAP-A aggregating one, or the first fragment of one.
    /// </summary>
    public static bool IsKeyFrame(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2)
        {
            return false;
        }

        byte nalUnitType = (byte)(payload[0] & NalUnitTypeMask);
        return nalUnitType switch
        {
            SingleTimeAggregationPacket => AggregatesKeyFrameNalUnit(payload[1..]),
            FragmentationUnitA or FragmentationUnitB =>
                (payload[1] & FragmentStartBit) != 0 && IsKeyFrameNalUnitType(payload[1]),
            _ => IsKeyFrameNalUnitType(payload[0]),
        };
    }

    private static bool AggregatesKeyFrameNalUnit(ReadOnlySpan<byte> units)
    {
        while (units.Length > NalUnitSizeLength)
        {
            int size = BinaryPrimitives.ReadUInt16BigEndian(units);
            if (size == 0 || size > units.Length - NalUnitSizeLength)
            {
                return false;
            }

            if (IsKeyFrameNalUnitType(units[NalUnitSizeLength]))
            {
                return true;
            }

            units = units[(NalUnitSizeLength + size)..];
        }

        return false;
    }

    private static bool IsKeyFrameNalUnitType(byte header) =>
        (header & NalUnitTypeMask) is IdrSlice or SequenceParameterSet;
}
