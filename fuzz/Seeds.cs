using System.Text;

namespace Fuzz;

/// <summary>Each target's seed corpus: well-formed inputs of the kinds real clients send.</summary>
public static class Seeds
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<byte[]>> All = new Dictionary<string, IReadOnlyList<byte[]>>
    {
        ["stun"] = [Stun.Rfc5769Request, Stun.Rfc5769Response],
        ["rtp"] = [Rtp.Opus, Rtp.Vp8WithExtension, Rtp.Vp9],
        ["rtcp"] = [Rtcp.SenderReportAndSdes, Rtcp.ReceiverReport, Rtcp.NackAndPli, Rtcp.Remb, Rtcp.TransportCc],
        ["srtp"] = [.. new[] { Rtp.Opus, Rtp.Vp8WithExtension }.Select(p => p.Concat(new byte[10]).ToArray())],
        ["srtcp"] = [.. new[] { Rtcp.SenderReportAndSdes, Rtcp.NackAndPli }.Select(p => p.Concat(new byte[] { 0x80, 0, 0, 1 }).Concat(new byte[10]).ToArray())],
        ["sctp"] = [Sctp.Init, Sctp.Data],
        ["dcep"] = [Hex("03 00 01 00 00 00 00 00 00 04 00 00 63 68 61 74"), Hex("03 81 00 00 00 00 00 05 00 03 00 04 6c 6f 73 73 79 62 69 6e 61")],
        ["protoo"] =
        [
            Utf8("""{"request":true,"id":1,"method":"join","data":{"displayName":"A","device":{"name":"Chrome"},"rtpCapabilities":{"codecs":[]},"sctpCapabilities":{"numStreams":{"OS":1024,"MIS":1024}}}}"""),
            Utf8("""{"request":true,"id":2,"method":"createWebRtcTransport","data":{"forceTcp":false,"producing":true,"consuming":false,"sctpCapabilities":{"numStreams":{"OS":1024,"MIS":1024}}}}"""),
            Utf8("""{"request":true,"id":3,"method":"connectWebRtcTransport","data":{"transportId":"t","dtlsParameters":{"role":"client","fingerprints":[{"algorithm":"sha-256","value":"AB:CD"}]}}}"""),
            Utf8("""{"request":true,"id":4,"method":"produceData","data":{"transportId":"t","sctpStreamParameters":{"streamId":1,"ordered":false,"maxRetransmits":0},"label":"chat","protocol":"","appData":{}}}"""),
            Utf8("""{"response":true,"id":5,"ok":false,"errorCode":500,"errorReason":"no"}"""),
            Utf8("""{"notification":true,"method":"x","data":{}}"""),
        ],
        ["http-bodies"] =
        [
            Route(0, """{"id":"b","displayName":"B","device":{"name":"FFmpeg","version":"6"},"rtpCapabilities":{"codecs":[],"headerExtensions":[]}}"""),
            Route(1, """{"type":"plain","comedia":true,"rtcpMux":false,"enableSrtp":true,"srtpCryptoSuite":"AES_CM_128_HMAC_SHA1_80"}"""),
            Route(1, """{"type":"webrtc","sctpCapabilities":{"numStreams":{"OS":1024,"MIS":1024}}}"""),
            Route(2, """{"ip":"127.0.0.1","port":5004,"rtcpPort":5005,"srtpParameters":{"cryptoSuite":"AES_CM_128_HMAC_SHA1_80","keyBase64":"ZnV6eg=="}}"""),
            Route(3, """{"kind":"video","rtpParameters":{"codecs":[{"mimeType":"video/vp8","payloadType":101,"clockRate":90000}],"encodings":[{"ssrc":2222}]}}"""),
            Route(4, """{"sctpStreamParameters":{"streamId":0,"ordered":true},"label":"chat","protocol":"","appData":{"a":1}}"""),
            Route(5, """{"dataProducerId":"d"}"""),
            Route(6, """{"dtlsParameters":{"role":"server","fingerprints":[{"algorithm":"sha-256","value":"AB:CD"}]}}"""),
            // AFL's first findings: a top level that is not an object reached code reading its fields.
            Route(6, "2222222"),
            Route(2, "\"y4d\""),
            Route(2, "[1]"),
        ],
        ["dtls-record"] =
        [
            // A ClientHello record's header and start, then an epoch-1 record with an AEAD nonce and tag.
            Hex("16 fe fd 00 00 00 00 00 00 00 00 00 0c 01 00 00 00 00 00 00 00 00 00 00 00"),
            Hex("17 fe fd 00 01 00 00 00 00 00 01 00 18 00 00 00 00 00 00 00 01 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00"),
        ],
        ["rtp-parameters"] =
        [
            Utf8("""{"mid":"0","codecs":[{"mimeType":"video/VP8","payloadType":101,"clockRate":90000,"rtcpFeedback":[{"type":"nack","parameter":"pli"}]},{"mimeType":"video/rtx","payloadType":102,"clockRate":90000,"parameters":{"apt":101}}],"headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":1}],"encodings":[{"rid":"r0","scalabilityMode":"L1T3","maxBitrate":100000},{"rid":"r1","scaleResolutionDownBy":2}],"rtcp":{"cname":"c","reducedSize":true}}"""),
            Utf8("""{"codecs":[{"kind":"audio","mimeType":"audio/opus","preferredPayloadType":100,"clockRate":48000,"channels":2,"parameters":{"useinbandfec":1},"rtcpFeedback":[]}],"headerExtensions":[{"kind":"audio","uri":"urn:ietf:params:rtp-hdrext:ssrc-audio-level","preferredId":10,"direction":"sendrecv"}]}"""),
        ],
    };

    private static class Stun
    {
        public static readonly byte[] Rfc5769Request = Hex("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae 80 22 00 10 53 54 55 4e 20 74 65 73
            74 20 63 6c 69 65 6e 74 00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36 00 06 00 09
            65 76 74 6a 3a 68 36 76 59 20 20 20 00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49
            c1 b5 71 a2 80 28 00 04 e5 7a 3b cf
            """);

        public static readonly byte[] Rfc5769Response = Hex("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae 80 22 00 0b 74 65 73 74 20 76 65 63
            74 6f 72 20 00 20 00 08 00 01 a1 47 e1 12 a6 43 00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9
            2a f9 ba 53 f0 6b e7 d7 80 28 00 04 c0 7d 4c 96
            """);
    }

    private static class Rtp
    {
        public static readonly byte[] Opus = Hex("80 64 00 01 00 00 03 c0 11 22 33 44 fc ff fe 01 02 03");

        /// <summary>One-byte header extension (mid "0"), VP8 descriptor with a 15-bit picture id, a key frame's start.</summary>
        public static readonly byte[] Vp8WithExtension = Hex("90 65 00 02 00 00 0b b8 55 66 77 88 be de 00 01 10 30 00 00 90 80 81 23 9d 01 2a 40 01 f0 00");

        public static readonly byte[] Vp9 = Hex("80 67 00 03 00 00 0f a0 55 66 77 89 aa 81 23 00 08 02 80 01 e0 01 01 00 00 00");
    }

    private static class Rtcp
    {
        public static readonly byte[] SenderReportAndSdes = Hex("""
            80 c8 00 06 11 22 33 44 e9 00 00 00 00 00 00 00 00 00 03 c0 00 00 00 0a 00 00 01 00
            81 ca 00 03 11 22 33 44 01 04 61 62 63 64 00 00
            """);

        public static readonly byte[] ReceiverReport = Hex("81 c9 00 07 11 22 33 44 55 66 77 88 00 00 00 01 00 00 00 10 00 00 00 05 00 00 00 00 00 00 00 00");

        public static readonly byte[] NackAndPli = Hex("81 cd 00 03 11 22 33 44 55 66 77 88 00 10 00 05 81 ce 00 02 11 22 33 44 55 66 77 88");

        public static readonly byte[] Remb = Hex("8f ce 00 05 11 22 33 44 00 00 00 00 52 45 4d 42 01 0a 2c 4e 55 66 77 88");

        public static readonly byte[] TransportCc = Hex("8f cd 00 05 11 22 33 44 55 66 77 88 00 01 00 02 00 00 10 00 20 02 04 08");
    }

    private static class Sctp
    {
        /// <summary>INIT from port 5000 (a data channel's), checksum left for the target to fill in.</summary>
        public static readonly byte[] Init = Hex("13 88 13 88 00 00 00 00 00 00 00 00 01 00 00 14 11 22 33 44 00 02 00 00 04 00 04 00 00 00 00 01");

        public static readonly byte[] Data = Hex("13 88 13 88 11 22 33 44 00 00 00 00 00 03 00 14 00 00 00 01 00 01 00 00 00 00 00 33 68 69 21 00");
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>An HTTP body for the route <paramref name="route"/> of the http-bodies target (its first byte).</summary>
    private static byte[] Route(byte route, string body) => [route, .. Encoding.UTF8.GetBytes(body)];
}
