namespace MediaEngine.Codecs;

/// <summary>
/// The VP8 payload descriptor (RFC 7741 §4.2) at the start of an RTP payload, as mediasoup's
/// RTC::Codecs::VP8::PayloadDescriptor. Holds the values as parsed, so a packet whose PictureID
/// and TL0PICIDX were rewritten in place can be rewritten again from the originals.
/// <code>
///      0 1 2 3 4 5 6 7
///     +-+-+-+-+-+-+-+-+
///     |X|R|N|S|R| PID |
///     +-+-+-+-+-+-+-+-+
/// X:  |I|L|T|K| RSV   |
///     +-+-+-+-+-+-+-+-+
/// I:  |M| PictureID   |
///     +-+-+-+-+-+-+-+-+
/// M:  |   PictureID   |
///     +-+-+-+-+-+-+-+-+
/// L:  |   TL0PICIDX   |
///     +-+-+-+-+-+-+-+-+
/// T/K:|TID|Y| KEYIDX  |
///     +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly struct Vp8PayloadDescriptor
{
    public const ushort MaxPictureId = 0x7FFF;

    private const byte ExtendedBit = 0x80;
    private const byte NonReferenceBit = 0x20;
    private const byte StartBit = 0x10;
    private const byte PartitionIndexMask = 0x07;
    private const byte PictureIdPresentBit = 0x80;
    private const byte Tl0PictureIndexPresentBit = 0x40;
    private const byte TemporalLayerIndexPresentBit = 0x20;
    private const byte KeyIndexPresentBit = 0x10;
    private const byte TwoBytePictureIdBit = 0x80;
    private const byte OneBytePictureIdMask = 0x7F;
    private const byte LayerSyncBit = 0x20;
    private const byte KeyIndexMask = 0x1F;
    private const byte InverseKeyFrameBit = 0x01;
    private const int PictureIdOffset = 2;

    private readonly byte _required;
    private readonly byte _extension;
    private readonly byte _temporal;
    private readonly int _pictureIdLength;

    private Vp8PayloadDescriptor(
        byte required, byte extension, byte temporal, int pictureIdLength, ushort pictureId, byte tl0PictureIndex, int length, bool isKeyFrame)
    {
        _required = required;
        _extension = extension;
        _temporal = temporal;
        _pictureIdLength = pictureIdLength;
        PictureId = pictureId;
        Tl0PictureIndex = tl0PictureIndex;
        Length = length;
        IsKeyFrame = isKeyFrame;
    }

    /// <summary>Bytes taken by the descriptor; the VP8 payload header follows.</summary>
    public int Length { get; }

    /// <summary>S = 1, PID = 0 and the VP8 payload header's P (inverse key frame) bit is 0.</summary>
    public bool IsKeyFrame { get; }

    public bool IsExtended => (_required & ExtendedBit) != 0;

    public bool IsNonReference => (_required & NonReferenceBit) != 0;

    public bool IsStartOfPartition => (_required & StartBit) != 0;

    public int PartitionIndex => _required & PartitionIndexMask;

    public bool HasPictureId => (_extension & PictureIdPresentBit) != 0;

    /// <summary>True for the 15-bit form (M = 1), false for the 7-bit one.</summary>
    public bool HasTwoBytePictureId => _pictureIdLength == 2;

    public ushort PictureId { get; }

    public bool HasTl0PictureIndex => (_extension & Tl0PictureIndexPresentBit) != 0;

    public byte Tl0PictureIndex { get; }

    public bool HasTemporalLayerIndex => (_extension & TemporalLayerIndexPresentBit) != 0;

    /// <summary>TID; 0 when absent, the base layer.</summary>
    public int TemporalLayerIndex => HasTemporalLayerIndex ? _temporal >> 6 : 0;

    /// <summary>Y: the frame depends only on the base layer, so a receiver can switch up to its layer here.</summary>
    public bool IsLayerSync => HasTemporalLayerIndex && (_temporal & LayerSyncBit) != 0;

    public bool HasKeyIndex => (_extension & KeyIndexPresentBit) != 0;

    public int KeyIndex => HasKeyIndex ? _temporal & KeyIndexMask : 0;

    /// <summary>False when the payload is empty or ends inside the descriptor.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp8PayloadDescriptor descriptor)
    {
        descriptor = default;
        if (payload.IsEmpty)
        {
            return false;
        }

        byte required = payload[0];
        byte extension = 0;
        byte temporal = 0;
        int pictureIdLength = 0;
        ushort pictureId = 0;
        byte tl0PictureIndex = 0;
        int offset = 1;
        if ((required & ExtendedBit) != 0)
        {
            if (payload.Length <= offset)
            {
                return false;
            }

            extension = payload[offset++];
            if ((extension & PictureIdPresentBit) != 0)
            {
                pictureIdLength = payload.Length > offset && (payload[offset] & TwoBytePictureIdBit) != 0 ? 2 : 1;
                if (payload.Length < offset + pictureIdLength)
                {
                    return false;
                }

                pictureId = pictureIdLength == 2
                    ? (ushort)(((payload[offset] & OneBytePictureIdMask) << 8) | payload[offset + 1])
                    : (ushort)(payload[offset] & OneBytePictureIdMask);
                offset += pictureIdLength;
            }

            if ((extension & Tl0PictureIndexPresentBit) != 0)
            {
                if (payload.Length <= offset)
                {
                    return false;
                }

                tl0PictureIndex = payload[offset++];
            }

            if ((extension & (TemporalLayerIndexPresentBit | KeyIndexPresentBit)) != 0)
            {
                if (payload.Length <= offset)
                {
                    return false;
                }

                temporal = payload[offset++];
            }
        }

        bool isKeyFrame = (required & StartBit) != 0
            && (required & PartitionIndexMask) == 0
            && payload.Length > offset
            && (payload[offset] & InverseKeyFrameBit) == 0;
        descriptor = new Vp8PayloadDescriptor(
            required, extension, temporal, pictureIdLength, pictureId, tl0PictureIndex, offset, isKeyFrame);
        return true;
    }

    /// <summary>
    /// Overwrites the PictureID in <paramref name="payload"/>, the payload this descriptor was
    /// parsed from, keeping its 7- or 15-bit form (a 7-bit one keeps the low 7 bits).
    /// </summary>
    public void RewritePictureId(Span<byte> payload, ushort pictureId)
    {
        if (!HasPictureId)
        {
            throw new InvalidOperationException("The descriptor has no PictureID.");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(pictureId, MaxPictureId);
        if (HasTwoBytePictureId)
        {
            payload[PictureIdOffset] = (byte)(TwoBytePictureIdBit | (pictureId >> 8));
            payload[PictureIdOffset + 1] = (byte)pictureId;
        }
        else
        {
            payload[PictureIdOffset] = (byte)(pictureId & OneBytePictureIdMask);
        }
    }

    /// <summary>Overwrites the TL0PICIDX in <paramref name="payload"/>, the payload this descriptor was parsed from.</summary>
    public void RewriteTl0PictureIndex(Span<byte> payload, byte tl0PictureIndex)
    {
        if (!HasTl0PictureIndex)
        {
            throw new InvalidOperationException("The descriptor has no TL0PICIDX.");
        }

        payload[PictureIdOffset + _pictureIdLength] = tl0PictureIndex;
    }
}
