using static MediaEngine.Rtp.RtxCodec;

namespace MediaEngine.Rtp;

public static partial class Ortc
{
    /// <summary>
    /// Whether an endpoint with these capabilities can receive a producer (protocol.md §7.6): the
    /// first consumable codec it supports must be a media codec, not RTX.
    /// </summary>
    public static bool CanConsume(RtpParameters consumableParams, RtpCapabilities caps)
    {
        var firstSupported = consumableParams.Codecs.FirstOrDefault(
            codec => caps.Codecs.Any(capCodec => CodecMatcher.Match(capCodec, codec, strict: true)));
        return firstSupported is not null && !IsRtx(firstSupported);
    }

    /// <summary>
    /// Tailors a producer's consumable parameters to one receiving endpoint (protocol.md §7.7 steps
    /// 1-6): the codecs, feedback and header extensions it supports, and the stream(s) it will get.
    /// The result has no <see cref="RtpParameters.Mid"/>; the transport assigns one
    /// (<see cref="ConsumerMidAllocator"/>).
    /// </summary>
    /// <param name="enableRtx">Offer RTX and plain NACK; without it, lost packets are not retransmitted.</param>
    /// <param name="pipe">Forward every producer stream as is (e.g. to another router) instead of
    /// one stream switched between them.</param>
    /// <param name="randomSsrc">Picks the consumer's SSRC (and, with <paramref name="pipe"/>, the first
    /// RTX SSRC); <see cref="RandomSsrc.Next"/> by default.</param>
    /// <exception cref="NotSupportedException">The endpoint supports none of the producer's media codecs.</exception>
    public static RtpParameters GetConsumerRtpParameters(
        RtpParameters consumableParams,
        RtpCapabilities remoteRtpCapabilities,
        bool enableRtx,
        bool pipe = false,
        Func<uint>? randomSsrc = null)
    {
        var matchedCodecs = new List<RtpCodecParameters>();
        foreach (var consumableCodec in consumableParams.Codecs)
        {
            if (!enableRtx && IsRtx(consumableCodec))
            {
                continue;
            }

            if (remoteRtpCapabilities.Codecs.FirstOrDefault(
                    capCodec => CodecMatcher.Match(capCodec, consumableCodec, strict: true)) is not { } capCodec)
            {
                continue;
            }

            var codec = consumableCodec.Clone();
            codec.RtcpFeedback =
            [
                .. capCodec.RtcpFeedback.Where(feedback => enableRtx || feedback is not { Type: "nack", Parameter: "" }),
            ];
            matchedCodecs.Add(codec);
        }

        var codecs = matchedCodecs
            .Where(codec => !IsRtx(codec)
                || matchedCodecs.Any(media => !IsRtx(media) && HasApt(codec, media.PayloadType)))
            .ToList();
        if (codecs.Count == 0 || IsRtx(codecs[0]))
        {
            throw new NotSupportedException("no compatible media codecs");
        }

        var headerExtensions = consumableParams.HeaderExtensions
            .Where(extension => remoteRtpCapabilities.HeaderExtensions.Any(
                capExtension => capExtension.PreferredId == extension.Id && capExtension.Uri == extension.Uri))
            .Select(extension => extension.Clone())
            .ToList();

        // Keep one bandwidth estimation feedback: transport-cc if negotiated, else REMB (which needs
        // abs-send-time), else none.
        string[] unusableFeedback =
            headerExtensions.Any(extension => extension.Uri == RtpHeaderExtensionUris.TransportWideCc) ? ["goog-remb"]
            : headerExtensions.Any(extension => extension.Uri == RtpHeaderExtensionUris.AbsSendTime) ? ["transport-cc"]
            : ["transport-cc", "goog-remb"];
        foreach (var codec in codecs)
        {
            codec.RtcpFeedback.RemoveAll(feedback => unusableFeedback.Contains(feedback.Type));
        }

        var rtxSupported = codecs.Any(IsRtx);
        var nextSsrc = randomSsrc ?? RandomSsrc.Next;
        return new RtpParameters
        {
            Codecs = codecs,
            HeaderExtensions = headerExtensions,
            Encodings = pipe
                ? PipeConsumerEncodings(consumableParams.Encodings, rtxSupported, nextSsrc)
                : [ConsumerEncoding(consumableParams.Encodings, rtxSupported, nextSsrc())],
            Rtcp = consumableParams.Rtcp,
            Msid = consumableParams.Msid,
        };
    }

    // The single stream a consumer receives: for simulcast, one spatial layer per producer stream.
    private static RtpEncodingParameters ConsumerEncoding(
        List<RtpEncodingParameters> producerEncodings, bool rtxSupported, uint ssrc)
    {
        var scalabilityMode = producerEncodings
            .Select(encoding => encoding.ScalabilityMode)
            .FirstOrDefault(mode => !string.IsNullOrEmpty(mode));
        if (producerEncodings.Count > 1)
        {
            scalabilityMode = $"L{producerEncodings.Count}T{ScalabilityMode.Parse(scalabilityMode).TemporalLayers}";
        }

        var maxBitrate = producerEncodings.Max(encoding => encoding.MaxBitrate);
        return new RtpEncodingParameters
        {
            Ssrc = ssrc,
            Rtx = rtxSupported ? new RtpRtxParameters(ssrc + 1) : null,
            ScalabilityMode = scalabilityMode,
            MaxBitrate = maxBitrate > 0 ? maxBitrate : null,
        };
    }

    private static List<RtpEncodingParameters> PipeConsumerEncodings(
        List<RtpEncodingParameters> producerEncodings, bool rtxSupported, Func<uint> nextSsrc)
    {
        var firstSsrc = nextSsrc();
        var firstRtxSsrc = nextSsrc();
        return
        [
            .. producerEncodings.Select((encoding, index) => encoding with
            {
                Ssrc = firstSsrc + (uint)index,
                Rtx = rtxSupported ? new RtpRtxParameters(firstRtxSsrc + (uint)index) : null,
            }),
        ];
    }
}
