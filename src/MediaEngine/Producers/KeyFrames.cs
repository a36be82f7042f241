namespace MediaEngine.Producers;

/// <summary>Whether an RTP payload starts a key frame, per codec (VP8 RFC 7741, VP9, H.264 RFC 6184).</summary>
internal static class KeyFrames
{
    public static bool IsKeyFrame(string mimeType, ReadOnlySpan<byte> payload) => mimeType switch
    {
        "video/vp8" => IsVp8KeyFrame(payload),
        "video/vp9" => IsVp9KeyFrame(payload),
        "video/h264" => IsH264KeyFrame(payload),
        _ => false,
    };

    private static bool IsVp8KeyFrame(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1)
            return false;
        var first = payload[0];
        var startOfPartition = (first & 0x10) != 0;
        var partitionId = first & 0x07;
        if (!startOfPartition || partitionId != 0)
            return false;
        var offset = 1;
        if ((first & 0x80) != 0)
        {
            if (payload.Length < 2)
                return false;
            var extension = payload[1];
            offset = 2;
            if ((extension & 0x80) != 0)
            {
                if (payload.Length <= offset)
                    return false;
                offset += (payload[offset] & 0x80) != 0 ? 2 : 1;
            }
            if ((extension & 0x40) != 0)
                offset++;
            if ((extension & 0x30) != 0)
                offset++;
        }
        return payload.Length > offset && (payload[offset] & 0x01) == 0;
    }

    private static bool IsVp9KeyFrame(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1)
            return false;
        var first = payload[0];
        var interPicturePredicted = (first & 0x40) != 0;
        var startOfFrame = (first & 0x08) != 0;
        return !interPicturePredicted && startOfFrame;
    }

    private static bool IsH264KeyFrame(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1)
            return false;
        var nalType = payload[0] & 0x1F;
        switch (nalType)
        {
            case 5 or 7:
                return true;
            case 24: // STAP-A
                for (var offset = 1; offset + 2 < payload.Length;)
                {
                    var size = (payload[offset] << 8) | payload[offset + 1];
                    if ((payload[offset + 2] & 0x1F) is 5 or 7)
                        return true;
                    offset += 2 + size;
                }
                return false;
            case 28: // FU-A
                return payload.Length >= 2 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == 5;
            default:
                return false;
        }
    }
}
