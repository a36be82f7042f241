using static MediaEngine.Rtp.RtxCodec;

namespace MediaEngine.Rtp;

public static partial class Ortc
{
    private static readonly HashSet<string> SimulcastMimeTypes = ["video/vp8", "video/h264"];
    private static readonly HashSet<string> SvcMimeTypes = ["video/vp9", "video/h264-svc"];

    /// <summary>
    /// Maps a producer's payload types to the router's and gives each of its streams a router SSRC
    /// (protocol.md §7.5 steps 1, 3 and 4).
    /// </summary>
    /// <remarks>
    /// Like mediasoup, this normalises <paramref name="producerParams"/> in place: missing encodings
    /// become one empty encoding, and an H.264 <c>profile-level-id</c> becomes the answer negotiated
    /// with the router codec, which is what consumers are then offered.
    /// </remarks>
    /// <param name="randomSsrc">Picks the SSRC of the first stream (the others follow it);
    /// <see cref="RandomSsrc.Next"/> by default.</param>
    /// <exception cref="NotSupportedException">A codec, or RTX for it, is not in <paramref name="routerCaps"/>.</exception>
    /// <exception cref="ArgumentException">An RTX codec repairs no codec of the producer, or a stream
    /// cannot be told apart from the others.</exception>
    public static RtpMapping GetProducerRtpParametersMapping(
        RtpParameters producerParams, RtpCapabilities routerCaps, Func<uint>? randomSsrc = null)
    {
        if (producerParams.Encodings.Count == 0)
        {
            producerParams.Encodings = [new RtpEncodingParameters()];
        }

        var mediaCodecs = new List<(RtpCodecParameters Codec, RtpCodecCapability RouterCodec)>();
        foreach (var codec in producerParams.Codecs.Where(codec => !IsRtx(codec)))
        {
            var routerCodec = routerCaps.Codecs.FirstOrDefault(
                    candidate => CodecMatcher.Match(codec, candidate, strict: true, modify: true))
                ?? throw new NotSupportedException(
                    $"unsupported codec [mimeType:{codec.MimeType}, payloadType:{codec.PayloadType}]");
            mediaCodecs.Add((codec, routerCodec));
        }

        var rtxCodecs = new List<(RtpCodecParameters Codec, RtpCodecCapability RouterCodec)>();
        foreach (var rtxCodec in producerParams.Codecs.Where(IsRtx))
        {
            var routerMediaCodec = mediaCodecs
                    .Where(media => HasApt(rtxCodec, media.Codec.PayloadType))
                    .Select(media => media.RouterCodec)
                    .FirstOrDefault()
                ?? throw new ArgumentException($"missing media codec found for RTX PT {rtxCodec.PayloadType}");
            var routerMediaPayloadType = RouterPayloadType(routerMediaCodec);
            var routerRtxCodec = routerCaps.Codecs.FirstOrDefault(
                    candidate => IsRtx(candidate) && HasApt(candidate, routerMediaPayloadType))
                ?? throw new NotSupportedException($"no RTX codec for capability codec PT {routerMediaPayloadType}");
            rtxCodecs.Add((rtxCodec, routerRtxCodec));
        }

        var encodings = producerParams.Encodings;
        if (encodings.Count > 1 && encodings.Any(encoding => encoding.Ssrc is null && string.IsNullOrEmpty(encoding.Rid)))
        {
            throw new ArgumentException("wrong entry in rtpMapping.encodings (missing ssrc or rid)");
        }

        if (encodings is [{ Ssrc: null, Rid: null or "" }] && string.IsNullOrEmpty(producerParams.Mid))
        {
            throw new ArgumentException("wrong entry in rtpMapping.encodings (missing ssrc or rid, or rtpParameters.mid)");
        }

        var firstMappedSsrc = (randomSsrc ?? RandomSsrc.Next)();
        return new RtpMapping
        {
            Codecs =
            [
                .. mediaCodecs.Concat(rtxCodecs).Select(pair =>
                    new RtpCodecMapping(pair.Codec.PayloadType, RouterPayloadType(pair.RouterCodec))),
            ],
            Encodings =
            [
                .. encodings.Select((encoding, index) => new RtpEncodingMapping
                {
                    Ssrc = encoding.Ssrc,
                    Rid = string.IsNullOrEmpty(encoding.Rid) ? null : encoding.Rid,
                    ScalabilityMode = string.IsNullOrEmpty(encoding.ScalabilityMode) ? null : encoding.ScalabilityMode,
                    MappedSsrc = firstMappedSsrc + (uint)index,
                }),
            ],
        };
    }

    /// <summary>
    /// Classifies a producer by its encodings and codec (protocol.md §7.5 step 5): one encoding
    /// without layers is simple; one with layers is SVC for VP9/H.264-SVC and simulcast for VP8/H.264;
    /// several encodings are simulcast, which only VP8 and H.264 support.
    /// </summary>
    /// <exception cref="ArgumentException">The codec does not support the layering asked for, or the
    /// parameters have no encoding or no media codec for it.</exception>
    public static ProducerType GetProducerType(RtpParameters producerParams)
    {
        if (producerParams.Encodings.Count == 0)
        {
            throw new ArgumentException("invalid RTP parameters: no encodings");
        }

        var encoding = producerParams.Encodings[0];
        var mimeType = CodecForEncoding(producerParams, encoding).MimeType;
        var supportsSimulcast = SimulcastMimeTypes.Contains(mimeType.ToLowerInvariant());
        if (producerParams.Encodings.Count > 1)
        {
            return supportsSimulcast
                ? ProducerType.Simulcast
                : throw new ArgumentException($"{mimeType} codec not supported for simulcast");
        }

        var layers = ScalabilityMode.Parse(encoding.ScalabilityMode);
        if (layers.SpatialLayers == 1 && layers.TemporalLayers == 1)
        {
            return ProducerType.Simple;
        }

        if (SvcMimeTypes.Contains(mimeType.ToLowerInvariant()))
        {
            return ProducerType.Svc;
        }

        return supportsSimulcast
            ? ProducerType.Simulcast
            : throw new ArgumentException(
                $"invalid RTP parameters: {mimeType} supports neither SVC nor simulcast [scalabilityMode:{encoding.ScalabilityMode}]");
    }

    /// <summary>
    /// Builds the router-side template that all consumers of a producer derive from (protocol.md §7.5
    /// step 6): router payload types, codecs and header extensions, and the mapped SSRCs.
    /// </summary>
    /// <param name="kind">"audio" or "video".</param>
    /// <param name="rtpMapping">The result of <see cref="GetProducerRtpParametersMapping"/> for these parameters.</param>
    /// <exception cref="ArgumentException">The kind is invalid, or the mapping does not belong to the parameters.</exception>
    public static RtpParameters GetConsumableRtpParameters(
        string kind, RtpParameters producerParams, RtpCapabilities routerCaps, RtpMapping rtpMapping)
    {
        if (kind is not ("audio" or "video"))
        {
            throw new ArgumentException($"invalid kind \"{kind}\"");
        }

        if (producerParams.Encodings.Count != rtpMapping.Encodings.Count)
        {
            throw new ArgumentException("rtpParameters.encodings size does not match rtpMapping.encodings size");
        }

        var consumableParams = new RtpParameters
        {
            Rtcp = new RtcpParameters { Cname = producerParams.Rtcp.Cname, ReducedSize = true },
            Msid = producerParams.Msid,
        };

        foreach (var codec in producerParams.Codecs.Where(codec => !IsRtx(codec)))
        {
            var payloadType = rtpMapping.Codecs.FirstOrDefault(entry => entry.PayloadType == codec.PayloadType)?.MappedPayloadType
                ?? throw new ArgumentException($"rtpMapping has no entry for payload type {codec.PayloadType}");
            var routerCodec = routerCaps.Codecs.FirstOrDefault(candidate => candidate.PreferredPayloadType == payloadType)
                ?? throw new ArgumentException($"rtpMapping maps to payload type {payloadType}, which the router does not have");
            consumableParams.Codecs.Add(new RtpCodecParameters
            {
                MimeType = routerCodec.MimeType,
                PayloadType = payloadType,
                ClockRate = routerCodec.ClockRate,
                Channels = routerCodec.Channels,
                // The producer's own parameters (e.g. Opus stereo, usedtx) are what its RTP carries.
                Parameters = new Dictionary<string, object>(codec.Parameters),
                RtcpFeedback = [.. routerCodec.RtcpFeedback],
            });

            if (routerCaps.Codecs.FirstOrDefault(candidate => IsRtx(candidate) && HasApt(candidate, payloadType)) is { } routerRtxCodec)
            {
                consumableParams.Codecs.Add(new RtpCodecParameters
                {
                    MimeType = routerRtxCodec.MimeType,
                    PayloadType = RouterPayloadType(routerRtxCodec),
                    ClockRate = routerRtxCodec.ClockRate,
                    Parameters = new Dictionary<string, object>(routerRtxCodec.Parameters),
                    RtcpFeedback = [.. routerRtxCodec.RtcpFeedback],
                });
            }
        }

        consumableParams.HeaderExtensions =
        [
            .. routerCaps.HeaderExtensions
                .Where(extension => extension.Kind == kind && extension.Direction is "sendrecv" or "sendonly")
                .Select(extension => new RtpHeaderExtensionParameters
                {
                    Uri = extension.Uri,
                    Id = extension.PreferredId,
                    Encrypt = extension.PreferredEncrypt,
                }),
        ];

        consumableParams.Encodings =
        [
            .. producerParams.Encodings.Zip(rtpMapping.Encodings, (encoding, mapping) => encoding with
            {
                Ssrc = mapping.MappedSsrc,
                Rid = null,
                Rtx = null,
                CodecPayloadType = null,
            }),
        ];

        return consumableParams;
    }

    private static RtpCodecParameters CodecForEncoding(RtpParameters parameters, RtpEncodingParameters encoding) =>
        encoding.CodecPayloadType is { } payloadType
            ? parameters.Codecs.FirstOrDefault(codec => codec.PayloadType == payloadType)
              ?? throw new ArgumentException($"invalid encoding.codecPayloadType {payloadType}: no such codec")
            : parameters.Codecs.FirstOrDefault(codec => !IsRtx(codec))
              ?? throw new ArgumentException("invalid RTP parameters: no media codec");

    private static int RouterPayloadType(RtpCodecCapability routerCodec) =>
        routerCodec.PreferredPayloadType
        ?? throw new ArgumentException($"router codec {routerCodec.MimeType} has no preferredPayloadType");
}
