namespace MediaEngine.Tests.Rtp;

/// <summary>
/// The worked negotiation example of protocol.md Appendix B, with the elided ("…") parts filled in
/// the way Chrome and mediasoup-client fill them.
/// </summary>
internal static class AppendixB
{
    /// <summary>The consumer SSRC shown in the appendix; tests inject it as the "random" SSRC.</summary>
    public const uint ConsumerSsrc = 483390033;

    /// <summary>What <c>join</c> carries after <c>device.load()</c>: router payload types and extension ids.</summary>
    public const string ClientRtpCapabilitiesJson = """
        {
          "codecs": [
            {"kind":"audio","mimeType":"audio/opus","preferredPayloadType":100,"clockRate":48000,"channels":2,
             "parameters":{"minptime":10,"useinbandfec":1},
             "rtcpFeedback":[{"type":"transport-cc","parameter":""},{"type":"nack","parameter":""}]},
            {"kind":"video","mimeType":"video/VP8","preferredPayloadType":101,"clockRate":90000,"parameters":{},
             "rtcpFeedback":[{"type":"goog-remb","parameter":""},{"type":"transport-cc","parameter":""},
                             {"type":"ccm","parameter":"fir"},{"type":"nack","parameter":""},{"type":"nack","parameter":"pli"}]},
            {"kind":"video","mimeType":"video/rtx","preferredPayloadType":102,"clockRate":90000,"parameters":{"apt":101},"rtcpFeedback":[]},
            {"kind":"video","mimeType":"video/VP9","preferredPayloadType":103,"clockRate":90000,"parameters":{"profile-id":2},
             "rtcpFeedback":[{"type":"goog-remb","parameter":""},{"type":"transport-cc","parameter":""},
                             {"type":"ccm","parameter":"fir"},{"type":"nack","parameter":""},{"type":"nack","parameter":"pli"}]},
            {"kind":"video","mimeType":"video/rtx","preferredPayloadType":104,"clockRate":90000,"parameters":{"apt":103},"rtcpFeedback":[]},
            {"kind":"video","mimeType":"video/H264","preferredPayloadType":107,"clockRate":90000,
             "parameters":{"level-asymmetry-allowed":1,"packetization-mode":1,"profile-level-id":"42e01f"},
             "rtcpFeedback":[{"type":"goog-remb","parameter":""},{"type":"transport-cc","parameter":""},
                             {"type":"ccm","parameter":"fir"},{"type":"nack","parameter":""},{"type":"nack","parameter":"pli"}]},
            {"kind":"video","mimeType":"video/rtx","preferredPayloadType":108,"clockRate":90000,"parameters":{"apt":107},"rtcpFeedback":[]}
          ],
          "headerExtensions": [
            {"kind":"audio","uri":"urn:ietf:params:rtp-hdrext:sdes:mid","preferredId":1,"preferredEncrypt":false,"direction":"sendrecv"},
            {"kind":"video","uri":"urn:ietf:params:rtp-hdrext:sdes:mid","preferredId":1,"preferredEncrypt":false,"direction":"sendrecv"},
            {"kind":"audio","uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time","preferredId":4,"preferredEncrypt":false,"direction":"sendrecv"},
            {"kind":"video","uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time","preferredId":4,"preferredEncrypt":false,"direction":"sendrecv"},
            {"kind":"video","uri":"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01","preferredId":5,"preferredEncrypt":false,"direction":"sendrecv"},
            {"kind":"audio","uri":"urn:ietf:params:rtp-hdrext:ssrc-audio-level","preferredId":10,"preferredEncrypt":false,"direction":"sendrecv"},
            {"kind":"video","uri":"urn:3gpp:video-orientation","preferredId":11,"preferredEncrypt":false,"direction":"sendrecv"},
            {"kind":"video","uri":"urn:ietf:params:rtp-hdrext:toffset","preferredId":12,"preferredEncrypt":false,"direction":"sendrecv"}
          ]
        }
        """;

    /// <summary>The browser's <c>produce</c> rtpParameters: browser payload types and extension ids.</summary>
    public const string Vp8SimulcastProducerJson = """
        {"mid":"1",
         "codecs":[{"mimeType":"video/VP8","payloadType":96,"clockRate":90000,"parameters":{},
                    "rtcpFeedback":[{"type":"goog-remb","parameter":""},{"type":"transport-cc","parameter":""},
                                    {"type":"ccm","parameter":"fir"},{"type":"nack","parameter":""},{"type":"nack","parameter":"pli"}]},
                   {"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":96},
                    "rtcpFeedback":[]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":4,"parameters":{}},
                             {"uri":"urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id","id":10,"parameters":{}},
                             {"uri":"urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id","id":11,"parameters":{}},
                             {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time","id":2,"encrypt":false,"parameters":{}},
                             {"uri":"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01","id":3,"encrypt":false,"parameters":{}},
                             {"uri":"urn:3gpp:video-orientation","id":13,"encrypt":false,"parameters":{}},
                             {"uri":"urn:ietf:params:rtp-hdrext:toffset","id":14,"encrypt":false,"parameters":{}}],
         "encodings":[{"rid":"r0","scaleResolutionDownBy":4,"maxBitrate":500000,"scalabilityMode":"L1T3"},
                      {"rid":"r1","scaleResolutionDownBy":2,"maxBitrate":1000000,"scalabilityMode":"L1T3"},
                      {"rid":"r2","scaleResolutionDownBy":1,"maxBitrate":5000000,"scalabilityMode":"L1T3"}],
         "rtcp":{"cname":"abcd1234","reducedSize":true}}
        """;

    public const string Vp8RtpMappingJson = """
        {"codecs":[{"payloadType":96,"mappedPayloadType":101},{"payloadType":97,"mappedPayloadType":102}],
         "encodings":[{"rid":"r0","scalabilityMode":"L1T3","mappedSsrc":200000000},
                      {"rid":"r1","scalabilityMode":"L1T3","mappedSsrc":200000001},
                      {"rid":"r2","scalabilityMode":"L1T3","mappedSsrc":200000002}]}
        """;

    /// <summary>The mapped SSRC base that <see cref="Vp8RtpMappingJson"/> was made with.</summary>
    public const uint MappedSsrcBase = 200000000;

    public const string Vp8ConsumerJson = """
        {"codecs":[{"mimeType":"video/VP8","payloadType":101,"clockRate":90000,"parameters":{},
                    "rtcpFeedback":[{"type":"transport-cc","parameter":""},{"type":"ccm","parameter":"fir"},
                                    {"type":"nack","parameter":""},{"type":"nack","parameter":"pli"}]},
                   {"mimeType":"video/rtx","payloadType":102,"clockRate":90000,"parameters":{"apt":101},
                    "rtcpFeedback":[]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":1,"encrypt":false,"parameters":{}},
           {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time","id":4,"encrypt":false,"parameters":{}},
           {"uri":"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01","id":5,"encrypt":false,"parameters":{}},
           {"uri":"urn:3gpp:video-orientation","id":11,"encrypt":false,"parameters":{}},
           {"uri":"urn:ietf:params:rtp-hdrext:toffset","id":12,"encrypt":false,"parameters":{}}],
         "encodings":[{"ssrc":483390033,"rtx":{"ssrc":483390034},"scalabilityMode":"L3T3","maxBitrate":5000000}],
         "rtcp":{"cname":"abcd1234","reducedSize":true},
         "mid":"0"}
        """;

    public const string OpusProducerJson = """
        {"mid":"0",
         "codecs":[{"mimeType":"audio/opus","payloadType":111,"clockRate":48000,"channels":2,
                    "parameters":{"minptime":10,"useinbandfec":1,"stereo":1,"usedtx":1,"sprop-stereo":1},
                    "rtcpFeedback":[{"type":"transport-cc","parameter":""}]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":4,"encrypt":false,"parameters":{}},
                             {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time","id":2,"encrypt":false,"parameters":{}},
                             {"uri":"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01","id":3,"encrypt":false,"parameters":{}},
                             {"uri":"urn:ietf:params:rtp-hdrext:ssrc-audio-level","id":1,"encrypt":false,"parameters":{}}],
         "encodings":[{"ssrc":1111111111,"dtx":true}],
         "rtcp":{"cname":"abcd1234","reducedSize":true}}
        """;

    /// <summary>The Opus consumer with the demo's enableRtx: true ("NACK for Opus"), before its transport gives it a MID.</summary>
    public const string OpusConsumerJson = """
        {"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2,
                    "parameters":{"minptime":10,"useinbandfec":1,"stereo":1,"usedtx":1,"sprop-stereo":1},
                    "rtcpFeedback":[{"type":"nack","parameter":""}]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":1,"encrypt":false,"parameters":{}},
           {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time","id":4,"encrypt":false,"parameters":{}},
           {"uri":"urn:ietf:params:rtp-hdrext:ssrc-audio-level","id":10,"encrypt":false,"parameters":{}}],
         "encodings":[{"ssrc":483390033}],
         "rtcp":{"cname":"abcd1234","reducedSize":true}}
        """;
}
