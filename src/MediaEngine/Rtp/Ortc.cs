using System.Text.Json;

namespace MediaEngine.Rtp;

/// <summary>mediasoup's ORTC negotiation rules (protocol.md §7).</summary>
public static partial class Ortc
{
    // Dynamic payload types in allocation order: the upper range first, 96-99 last.
    private static readonly int[] DynamicPayloadTypes = [.. Enumerable.Range(100, 28), .. Enumerable.Range(96, 4)];

    /// <summary>
    /// Builds a router's RTP capabilities from its configured media codecs (protocol.md §7.4).
    /// </summary>
    /// <exception cref="ArgumentException">A media codec is invalid, or two codecs share a payload type.</exception>
    /// <exception cref="NotSupportedException">A media codec is not in <see cref="SupportedRtpCapabilities"/>.</exception>
    /// <exception cref="InvalidOperationException">The dynamic payload types ran out.</exception>
    public static RtpCapabilities GenerateRouterRtpCapabilities(IEnumerable<RtpCodecCapability> mediaCodecs)
    {
        var supported = SupportedRtpCapabilities.Create();
        var freePayloadTypes = new List<int>(DynamicPayloadTypes);
        var codecs = new List<RtpCodecCapability>();

        foreach (var mediaCodec in mediaCodecs.Select(Normalize))
        {
            var codec = supported.Codecs.FirstOrDefault(candidate => CodecMatcher.Match(mediaCodec, candidate))?.Clone()
                ?? throw new NotSupportedException($"media codec not supported [mimeType:{mediaCodec.MimeType}]");

            if (mediaCodec.PreferredPayloadType is { } preferredPayloadType)
            {
                codec.PreferredPayloadType = preferredPayloadType;
                freePayloadTypes.Remove(preferredPayloadType);
            }
            else
            {
                codec.PreferredPayloadType ??= TakePayloadType(freePayloadTypes);
            }

            if (codecs.Any(existing => existing.PreferredPayloadType == codec.PreferredPayloadType))
            {
                throw new ArgumentException(
                    $"duplicated codec.preferredPayloadType {codec.PreferredPayloadType} [mimeType:{mediaCodec.MimeType}]");
            }

            foreach (var (name, value) in mediaCodec.Parameters)
            {
                codec.Parameters[name] = value;
            }

            codecs.Add(codec);

            if (codec.Kind == "video")
            {
                codecs.Add(new RtpCodecCapability
                {
                    Kind = "video",
                    MimeType = "video/rtx",
                    PreferredPayloadType = TakePayloadType(freePayloadTypes),
                    ClockRate = codec.ClockRate,
                    Parameters = { ["apt"] = (long)codec.PreferredPayloadType },
                });
            }
        }

        return new RtpCapabilities { Codecs = codecs, HeaderExtensions = supported.HeaderExtensions };
    }

    // Round-tripping through JSON applies exactly the checks and defaults that codecs received from
    // clients get, and leaves the caller's objects untouched.
    private static RtpCodecCapability Normalize(RtpCodecCapability mediaCodec) =>
        RtpCapabilitiesParser.ParseCodec(JsonSerializer.SerializeToElement(mediaCodec, RtpJson.Options));

    private static int TakePayloadType(List<int> freePayloadTypes)
    {
        if (freePayloadTypes.Count == 0)
        {
            throw new InvalidOperationException("cannot allocate more dynamic codec payload types");
        }

        var payloadType = freePayloadTypes[0];
        freePayloadTypes.RemoveAt(0);
        return payloadType;
    }
}
