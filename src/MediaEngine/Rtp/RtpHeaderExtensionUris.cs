namespace MediaEngine.Rtp;

/// <summary>URIs of the RTP header extensions the media engine knows.</summary>
public static class RtpHeaderExtensionUris
{
    public const string Mid = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public const string RtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public const string RepairedRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public const string FrameMarkingDraft07 = "http://tools.ietf.org/html/draft-ietf-avtext-framemarking-07";
    public const string FrameMarking = "urn:ietf:params:rtp-hdrext:framemarking";
    public const string SsrcAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public const string VideoOrientation = "urn:3gpp:video-orientation";
    public const string TransmissionTimeOffset = "urn:ietf:params:rtp-hdrext:toffset";
    public const string AbsCaptureTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";
    public const string PlayoutDelay = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
}
