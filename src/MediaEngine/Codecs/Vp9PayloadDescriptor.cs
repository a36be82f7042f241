namespace MediaEngine.Codecs;

/// <summary>
/// The VP9 payload descriptor (RFC 9628 §4.2) at the start of an RTP payload, read up to the
/// reference indices, as mediasoup's RTC::Codecs::VP9::PayloadDescriptor. The scalability
/// structure (V) that may follow is not read.
/// <code>
///      0 1 2 3 4 5 6 7
///     +-+-+-+-+-+-+-+-+
///     |I|P|L|F|B|E|V|Z|
///     +-+-+-+-+-+-+-+-+
/// I:  |M| PICTURE ID  |
///     +-+-+-+-+-+-+-+-+
/// M:  | EXTENDED PID  |
///     +-+-+-+-+-+-+-+-+
/// L:  | TID |U| SID |D|
///     +-+-+-+-+-+-+-+-+
///     |   TL0PICIDX   |  (non-flexible mode only)
///     +-+-+-+-+-+-+-+-+
/// P,F:| P_DIFF      |N|  (flexible mode only, up to 3 times)
///     +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly struct Vp9PayloadDescriptor
{
    private const byte PictureIdPresentBit = 0x80;
    private const byte InterPicturePredictedBit = 0x40;
    private const byte LayerIndicesPresentBit = 0x20;
    private const byte FlexibleModeBit = 0x10;
    private const byte StartOfFrameBit = 0x08;
    private const byte EndOfFrameBit = 0x04;
    private const byte ScalabilityStructurePresentBit = 0x02;
    private const byte NotReferenceForInterLayerBit = 0x01;
    private const byte TwoBytePictureIdBit = 0x80;
    private const byte OneBytePictureIdMask = 0x7F;
    private const byte SwitchingUpPointBit = 0x10;
    private const byte InterLayerDependencyBit = 0x01;
    private const byte SpatialLayerIndexMask = 0x07;
    private const byte MoreReferencesBit = 0x01;
    private const int MaxReferences = 3;

    private readonly byte _required;
    private readonly byte _layerIndices;

    private Vp9PayloadDescriptor(byte required, byte layerIndices, bool hasTwoBytePictureId, ushort pictureId, byte tl0PictureIndex)
    {
        _required = required;
        _layerIndices = layerIndices;
        HasTwoBytePictureId = hasTwoBytePictureId;
        PictureId = pictureId;
        Tl0PictureIndex = tl0PictureIndex;
    }

    /// <summary>Not inter-picture predicted, starting a frame, in spatial layer 0.</summary>
    public bool IsKeyFrame => !IsInterPicturePredicted && IsStartOfFrame && SpatialLayerIndex == 0;

    public bool HasPictureId => (_required & PictureIdPresentBit) != 0;

    public bool HasTwoBytePictureId { get; }

    public ushort PictureId { get; }

    public bool IsInterPicturePredicted => (_required & InterPicturePredictedBit) != 0;

    public bool HasLayerIndices => (_required & LayerIndicesPresentBit) != 0;

    public bool IsFlexibleMode => (_required & FlexibleModeBit) != 0;

    public bool IsStartOfFrame => (_required & StartOfFrameBit) != 0;

    public bool IsEndOfFrame => (_required & EndOfFrameBit) != 0;

    public bool HasScalabilityStructure => (_required & ScalabilityStructurePresentBit) != 0;

    public bool IsNotReferenceForInterLayerPrediction => (_required & NotReferenceForInterLayerBit) != 0;

    /// <summary>TID; 0 without layer indices.</summary>
    public int TemporalLayerIndex => _layerIndices >> 5;

    /// <summary>U: a receiver can switch up to this temporal layer here.</summary>
    public bool IsSwitchingUpPoint => (_layerIndices & SwitchingUpPointBit) != 0;

    /// <summary>SID; 0 without layer indices.</summary>
    public int SpatialLayerIndex => (_layerIndices >> 1) & SpatialLayerIndexMask;

    /// <summary>D: the frame depends on the spatial layer below.</summary>
    public bool IsInterLayerDependent => (_layerIndices & InterLayerDependencyBit) != 0;

    public bool HasTl0PictureIndex => HasLayerIndices && !IsFlexibleMode;

    public byte Tl0PictureIndex { get; }

    /// <summary>False when the payload is empty or ends inside the descriptor.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp9PayloadDescriptor descriptor)
    {
        descriptor = default;
        if (payload.IsEmpty)
        {
            return false;
        }

        byte required = payload[0];
        int offset = 1;
        bool hasTwoBytePictureId = false;
        ushort pictureId = 0;
        if ((required & PictureIdPresentBit) != 0)
        {
            hasTwoBytePictureId = payload.Length > offset && (payload[offset] & TwoBytePictureIdBit) != 0;
            int pictureIdLength = hasTwoBytePictureId ? 2 : 1;
            if (payload.Length < offset + pictureIdLength)
            {
                return false;
            }

            pictureId = hasTwoBytePictureId
                ? (ushort)(((payload[offset] & OneBytePictureIdMask) << 8) | payload[offset + 1])
                : (ushort)(payload[offset] & OneBytePictureIdMask);
            offset += pictureIdLength;
        }

        bool isFlexibleMode = (required & FlexibleModeBit) != 0;
        byte layerIndices = 0;
        byte tl0PictureIndex = 0;
        if ((required & LayerIndicesPresentBit) != 0)
        {
            int layerFieldsLength = isFlexibleMode ? 1 : 2;
            if (payload.Length < offset + layerFieldsLength)
            {
                return false;
            }

            layerIndices = payload[offset];
            if (!isFlexibleMode)
            {
                tl0PictureIndex = payload[offset + 1];
            }

            offset += layerFieldsLength;
        }

        if (isFlexibleMode && (required & InterPicturePredictedBit) != 0 && !SkipReferenceIndices(payload, ref offset))
        {
            return false;
        }

        descriptor = new Vp9PayloadDescriptor(required, layerIndices, hasTwoBytePictureId, pictureId, tl0PictureIndex);
        return true;
    }

    private static bool SkipReferenceIndices(ReadOnlySpan<byte> payload, ref int offset)
    {
        for (int reference = 0; reference < MaxReferences; reference++)
        {
            if (payload.Length <= offset)
            {
                return false;
            }

            if ((payload[offset++] & MoreReferencesBit) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
