namespace MediaEngine.Rtp;

/// <summary>The codecs and header extensions the media engine supports (mediasoup 3.14 table).</summary>
public static class SupportedRtpCapabilities
{
    /// <summary>Builds a fresh copy, in table order, that the caller may modify.</summary>
    public static RtpCapabilities Create() => new()
    {
        Codecs = CreateCodecs(),
        HeaderExtensions = CreateHeaderExtensions(),
    };

    private static List<RtpCodecCapability> CreateCodecs()
    {
        RtcpFeedback[] opusFeedback = [new("nack"), new("transport-cc")];
        RtcpFeedback[] transportCcOnly = [new("transport-cc")];
        RtcpFeedback[] videoFeedback =
        [
            new("nack"),
            new("nack", "pli"),
            new("ccm", "fir"),
            new("goog-remb"),
            new("transport-cc"),
        ];

        return
        [
            Audio("audio/opus", 48000, channels: 2, feedback: opusFeedback),
            MultiOpus(channels: 4, channelMapping: "0,1,2,3", numStreams: 2, coupledStreams: 2, opusFeedback),
            MultiOpus(channels: 6, channelMapping: "0,4,1,2,3,5", numStreams: 4, coupledStreams: 2, opusFeedback),
            MultiOpus(channels: 8, channelMapping: "0,6,1,2,3,4,5,7", numStreams: 5, coupledStreams: 3, opusFeedback),
            Audio("audio/PCMU", 8000, staticPayloadType: 0, feedback: transportCcOnly),
            Audio("audio/PCMA", 8000, staticPayloadType: 8, feedback: transportCcOnly),
            Audio("audio/ISAC", 32000, feedback: transportCcOnly),
            Audio("audio/ISAC", 16000, feedback: transportCcOnly),
            Audio("audio/G722", 8000, staticPayloadType: 9, feedback: transportCcOnly),
            Audio("audio/iLBC", 8000, feedback: transportCcOnly),
            Audio("audio/SILK", 24000, feedback: transportCcOnly),
            Audio("audio/SILK", 16000, feedback: transportCcOnly),
            Audio("audio/SILK", 12000, feedback: transportCcOnly),
            Audio("audio/SILK", 8000, feedback: transportCcOnly),
            Audio("audio/CN", 32000, staticPayloadType: 13),
            Audio("audio/CN", 16000, staticPayloadType: 13),
            Audio("audio/CN", 8000, staticPayloadType: 13),
            Audio("audio/telephone-event", 48000),
            Audio("audio/telephone-event", 32000),
            Audio("audio/telephone-event", 16000),
            Audio("audio/telephone-event", 8000),
            Video("video/VP8", videoFeedback, levelAsymmetryAllowed: false),
            Video("video/VP9", videoFeedback, levelAsymmetryAllowed: false),
            Video("video/H264", videoFeedback, levelAsymmetryAllowed: true),
            Video("video/H264-SVC", videoFeedback, levelAsymmetryAllowed: true),
            Video("video/H265", videoFeedback, levelAsymmetryAllowed: true),
        ];
    }

    private static RtpCodecCapability Audio(
        string mimeType, int clockRate, int channels = 1, int? staticPayloadType = null, RtcpFeedback[]? feedback = null) => new()
    {
        Kind = "audio",
        MimeType = mimeType,
        PreferredPayloadType = staticPayloadType,
        ClockRate = clockRate,
        Channels = channels,
        RtcpFeedback = [.. feedback ?? []],
    };

    private static RtpCodecCapability MultiOpus(
        int channels, string channelMapping, long numStreams, long coupledStreams, RtcpFeedback[] feedback)
    {
        var codec = Audio("audio/multiopus", 48000, channels, feedback: feedback);
        codec.Parameters["channel_mapping"] = channelMapping;
        codec.Parameters["num_streams"] = numStreams;
        codec.Parameters["coupled_streams"] = coupledStreams;
        return codec;
    }

    private static RtpCodecCapability Video(string mimeType, RtcpFeedback[] feedback, bool levelAsymmetryAllowed)
    {
        var codec = new RtpCodecCapability
        {
            Kind = "video",
            MimeType = mimeType,
            ClockRate = 90000,
            RtcpFeedback = [.. feedback],
        };
        if (levelAsymmetryAllowed)
        {
            codec.Parameters["level-asymmetry-allowed"] = 1L;
        }

        return codec;
    }

    private static List<RtpHeaderExtensionCapability> CreateHeaderExtensions() =>
    [
        Extension("audio", RtpHeaderExtensionUris.Mid, 1, "sendrecv"),
        Extension("video", RtpHeaderExtensionUris.Mid, 1, "sendrecv"),
        Extension("video", RtpHeaderExtensionUris.RtpStreamId, 2, "recvonly"),
        Extension("video", RtpHeaderExtensionUris.RepairedRtpStreamId, 3, "recvonly"),
        Extension("audio", RtpHeaderExtensionUris.AbsSendTime, 4, "sendrecv"),
        Extension("video", RtpHeaderExtensionUris.AbsSendTime, 4, "sendrecv"),
        // Audio transport-wide CC is only used when receiving media.
        Extension("audio", RtpHeaderExtensionUris.TransportWideCc, 5, "recvonly"),
        Extension("video", RtpHeaderExtensionUris.TransportWideCc, 5, "sendrecv"),
        Extension("video", RtpHeaderExtensionUris.FrameMarkingDraft07, 6, "sendrecv"),
        Extension("video", RtpHeaderExtensionUris.FrameMarking, 7, "sendrecv"),
        Extension("audio", RtpHeaderExtensionUris.SsrcAudioLevel, 10, "sendrecv"),
        Extension("video", RtpHeaderExtensionUris.VideoOrientation, 11, "sendrecv"),
        Extension("video", RtpHeaderExtensionUris.TransmissionTimeOffset, 12, "sendrecv"),
        Extension("audio", RtpHeaderExtensionUris.AbsCaptureTime, 13, "sendrecv"),
        Extension("video", RtpHeaderExtensionUris.AbsCaptureTime, 13, "sendrecv"),
        Extension("audio", RtpHeaderExtensionUris.PlayoutDelay, 14, "sendrecv"),
        Extension("video", RtpHeaderExtensionUris.PlayoutDelay, 14, "sendrecv"),
    ];

    private static RtpHeaderExtensionCapability Extension(string kind, string uri, int preferredId, string direction) => new()
    {
        Kind = kind,
        Uri = uri,
        PreferredId = preferredId,
        PreferredEncrypt = false,
        Direction = direction,
    };
}
