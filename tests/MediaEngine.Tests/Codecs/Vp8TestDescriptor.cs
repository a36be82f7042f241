namespace MediaEngine.Tests.Codecs;

/// <summary>
/// The full VP8 payload descriptor (RFC 7741 §4.2) Chrome sends with temporal layers: 15-bit
/// PictureID, TL0PICIDX, TID and the layer sync bit, start of partition 0.
/// </summary>
internal static class Vp8TestDescriptor
{
    public const int Length = 6;

    public static void Write(Span<byte> payload, ushort pictureId, byte tl0PictureIndex, int temporalLayer, bool layerSync)
    {
        payload[0] = 0x90;
        payload[1] = 0xE0;
        payload[2] = (byte)(0x80 | (pictureId >> 8));
        payload[3] = (byte)pictureId;
        payload[4] = tl0PictureIndex;
        payload[5] = (byte)((temporalLayer << 6) | (layerSync ? 0x20 : 0));
    }
}
