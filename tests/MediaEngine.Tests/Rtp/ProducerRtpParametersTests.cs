using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

/// <summary>protocol.md §7.5: producer RTP mapping, producer type and consumable parameters.</summary>
public class ProducerRtpParametersTests
{
    private const string Vp8 = """{"mimeType":"video/VP8","payloadType":96,"clockRate":90000}""";
    private const string Vp8Rtx = """{"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":96}}""";
    private const string Vp9Profile2 = """{"mimeType":"video/VP9","payloadType":100,"clockRate":90000,"parameters":{"profile-id":2}}""";
    private const string Opus = """{"mimeType":"audio/opus","payloadType":111,"clockRate":48000,"channels":2}""";

    [Theory]
    [InlineData("42e01f", "1", 107, "42e01f")]
    [InlineData("42e034", "1", 107, "42e034")] // Both allow level asymmetry: the producer keeps its level.
    [InlineData("42e034", null, 107, "42e01f")] // Otherwise the lower level, the router's 3.1.
    [InlineData("4d0033", null, 105, "4d0032")] // Main profile maps to the Main router codec.
    [InlineData("4d001f", null, 105, "4d001f")]
    public void H264ProducerIsMappedByProfileAndGetsTheNegotiatedProfileLevelId(
        string profileLevelId, string? levelAsymmetryAllowed, int routerPayloadType, string negotiatedProfileLevelId)
    {
        var asymmetry = levelAsymmetryAllowed is null ? "" : $""","level-asymmetry-allowed":{levelAsymmetryAllowed}""";
        var producerParams = TestRtp.Parameters(Producer(
            $$$"""{"mimeType":"video/H264","payloadType":102,"clockRate":90000,"parameters":{"packetization-mode":1,"profile-level-id":"{{{profileLevelId}}}"{{{asymmetry}}}}}""",
            """{"mimeType":"video/rtx","payloadType":103,"clockRate":90000,"parameters":{"apt":102}}"""));
        var routerCaps = TestRtp.RouterCapabilities();

        var mapping = Ortc.GetProducerRtpParametersMapping(producerParams, routerCaps);
        var consumableParams = Ortc.GetConsumableRtpParameters("video", producerParams, routerCaps, mapping);

        Assert.Equal(
            [new RtpCodecMapping(102, routerPayloadType), new RtpCodecMapping(103, routerPayloadType + 1)],
            mapping.Codecs);
        Assert.Equal(negotiatedProfileLevelId, producerParams.Codecs[0].Parameters["profile-level-id"]);
        Assert.Equal(negotiatedProfileLevelId, consumableParams.Codecs[0].Parameters["profile-level-id"]);
        Assert.Equal(
            [$"video/H264 {routerPayloadType}", $"video/rtx {routerPayloadType + 1}"],
            consumableParams.Codecs.Select(codec => $"{codec.MimeType} {codec.PayloadType}"));
    }

    [Theory]
    [InlineData("""{"mimeType":"video/H264","payloadType":102,"clockRate":90000,"parameters":{"packetization-mode":1,"profile-level-id":"640032"}}""", "video/H264", 102)]
    [InlineData("""{"mimeType":"video/H264","payloadType":102,"clockRate":90000,"parameters":{"profile-level-id":"42e01f"}}""", "video/H264", 102)]
    [InlineData("""{"mimeType":"video/VP9","payloadType":98,"clockRate":90000}""", "video/VP9", 98)]
    [InlineData("""{"mimeType":"video/AV1","payloadType":35,"clockRate":90000}""", "video/AV1", 35)]
    [InlineData("""{"mimeType":"audio/opus","payloadType":111,"clockRate":48000,"channels":1}""", "audio/opus", 111)]
    [InlineData("""{"mimeType":"audio/PCMU","payloadType":0,"clockRate":8000}""", "audio/PCMU", 0)]
    public void CodecTheRouterDoesNotHaveIsUnsupported(string codecJson, string mimeType, int payloadType)
    {
        var producerParams = TestRtp.Parameters(Producer(codecJson));

        var error = Assert.Throws<NotSupportedException>(
            () => Ortc.GetProducerRtpParametersMapping(producerParams, TestRtp.RouterCapabilities()));

        Assert.Equal($"unsupported codec [mimeType:{mimeType}, payloadType:{payloadType}]", error.Message);
    }

    [Fact]
    public void RtxWhoseAptIsNotAProducerCodecIsRejected()
    {
        var producerParams = TestRtp.Parameters(Producer(
            Vp8, """{"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":98}}"""));

        var error = Assert.Throws<ArgumentException>(
            () => Ortc.GetProducerRtpParametersMapping(producerParams, TestRtp.RouterCapabilities()));

        Assert.Equal("missing media codec found for RTX PT 97", error.Message);
    }

    [Fact]
    public void RtxWithoutAptIsRejected()
    {
        var producerParams = TestRtp.Parameters(Producer(Vp8, """{"mimeType":"video/rtx","payloadType":97,"clockRate":90000}"""));

        var error = Assert.Throws<ArgumentException>(
            () => Ortc.GetProducerRtpParametersMapping(producerParams, TestRtp.RouterCapabilities()));

        Assert.Equal("missing media codec found for RTX PT 97", error.Message);
    }

    [Fact]
    public void RtxForACodecTheRouterHasNoRtxForIsUnsupported()
    {
        var producerParams = TestRtp.Parameters(Producer(
            Opus, """{"mimeType":"audio/rtx","payloadType":112,"clockRate":48000,"parameters":{"apt":111}}"""));

        var error = Assert.Throws<NotSupportedException>(
            () => Ortc.GetProducerRtpParametersMapping(producerParams, TestRtp.RouterCapabilities()));

        Assert.Equal("no RTX codec for capability codec PT 100", error.Message);
    }

    [Fact]
    public void RtxIsMappedAfterAllMediaCodecs()
    {
        var producerParams = TestRtp.Parameters(Producer(
            Vp8, Vp8Rtx, Vp9Profile2, """{"mimeType":"video/rtx","payloadType":101,"clockRate":90000,"parameters":{"apt":100}}"""));

        var mapping = Ortc.GetProducerRtpParametersMapping(producerParams, TestRtp.RouterCapabilities());

        Assert.Equal(
            [new RtpCodecMapping(96, 101), new RtpCodecMapping(100, 103), new RtpCodecMapping(97, 102), new RtpCodecMapping(101, 104)],
            mapping.Codecs);
    }

    [Fact]
    public void EncodingsGetConsecutiveMappedSsrcsFromTheRandomBase()
    {
        var producerParams = TestRtp.Parameters(Producer(
            [Vp8, Vp8Rtx],
            """[{"ssrc":1111,"rtx":{"ssrc":1112}},{"ssrc":2222,"rtx":{"ssrc":2223}}]"""));

        var mapping = Ortc.GetProducerRtpParametersMapping(producerParams, TestRtp.RouterCapabilities());

        Assert.Equal([1111u, 2222u], mapping.Encodings.Select(encoding => encoding.Ssrc));
        Assert.All(mapping.Encodings, encoding => Assert.Null(encoding.Rid));
        Assert.InRange(mapping.Encodings[0].MappedSsrc, RandomSsrc.Min, RandomSsrc.Max);
        Assert.Equal(mapping.Encodings[0].MappedSsrc + 1, mapping.Encodings[1].MappedSsrc);
    }

    [Fact]
    public void MissingEncodingsBecomeOneEncodingIdentifiedByTheMid()
    {
        var producerParams = TestRtp.Parameters("""{"mid":"0","codecs":[""" + Opus + "]}");

        var mapping = Ortc.GetProducerRtpParametersMapping(producerParams, TestRtp.RouterCapabilities(), () => 123456789);

        Assert.Equal(new RtpEncodingParameters(), Assert.Single(producerParams.Encodings));
        JsonAssert.Equivalent("""[{"mappedSsrc":123456789}]""", RtpJson.ToJsonNode(mapping.Encodings));
    }

    [Fact]
    public void SingleEncodingNeedsSsrcRidOrMid()
    {
        var producerParams = TestRtp.Parameters("""{"codecs":[""" + Opus + """],"encodings":[{"dtx":true}]}""");

        var error = Assert.Throws<ArgumentException>(
            () => Ortc.GetProducerRtpParametersMapping(producerParams, TestRtp.RouterCapabilities()));

        Assert.Equal("wrong entry in rtpMapping.encodings (missing ssrc or rid, or rtpParameters.mid)", error.Message);
    }

    [Fact]
    public void EachOfSeveralEncodingsNeedsSsrcOrRid()
    {
        var producerParams = TestRtp.Parameters(Producer([Vp8], """[{"rid":"r0"},{"maxBitrate":100000}]"""));

        var error = Assert.Throws<ArgumentException>(
            () => Ortc.GetProducerRtpParametersMapping(producerParams, TestRtp.RouterCapabilities()));

        Assert.Equal("wrong entry in rtpMapping.encodings (missing ssrc or rid)", error.Message);
    }

    [Theory]
    [InlineData(Opus, """[{"ssrc":1}]""", ProducerType.Simple)]
    [InlineData(Vp8, """[{"ssrc":1}]""", ProducerType.Simple)]
    [InlineData(Vp8, """[{"ssrc":1,"scalabilityMode":"L1T1"}]""", ProducerType.Simple)]
    [InlineData(Vp8, """[{"ssrc":1,"scalabilityMode":"L1T3"}]""", ProducerType.Simulcast)]
    [InlineData(Vp8, """[{"rid":"r0"},{"rid":"r1"}]""", ProducerType.Simulcast)]
    [InlineData(Vp9Profile2, """[{"ssrc":1,"scalabilityMode":"L3T3_KEY"}]""", ProducerType.Svc)]
    [InlineData(Vp9Profile2, """[{"ssrc":1}]""", ProducerType.Simple)]
    [InlineData("""{"mimeType":"video/H264","payloadType":102,"clockRate":90000}""", """[{"ssrc":1,"scalabilityMode":"L1T3"}]""", ProducerType.Simulcast)]
    [InlineData("""{"mimeType":"video/H264-SVC","payloadType":102,"clockRate":90000}""", """[{"ssrc":1,"scalabilityMode":"L2T3"}]""", ProducerType.Svc)]
    public void ProducerTypeFollowsEncodingsLayersAndCodec(string codecJson, string encodingsJson, ProducerType expected) =>
        Assert.Equal(expected, Ortc.GetProducerType(TestRtp.Parameters(Producer([codecJson], encodingsJson))));

    [Fact]
    public void ProducerTypeLooksAtTheCodecTheEncodingNames()
    {
        var producerParams = TestRtp.Parameters(Producer([Vp8, Vp9Profile2], """[{"ssrc":1,"codecPayloadType":100,"scalabilityMode":"L3T3"}]"""));

        Assert.Equal(ProducerType.Svc, Ortc.GetProducerType(producerParams));
    }

    [Fact]
    public void SimulcastWithVp9IsRejected()
    {
        var producerParams = TestRtp.Parameters(Producer([Vp9Profile2], """[{"rid":"r0"},{"rid":"r1"},{"rid":"r2"}]"""));

        var error = Assert.Throws<ArgumentException>(() => Ortc.GetProducerType(producerParams));

        Assert.Equal("video/VP9 codec not supported for simulcast", error.Message);
    }

    [Fact]
    public void LayersOnACodecWithoutSvcOrSimulcastAreRejected()
    {
        var producerParams = TestRtp.Parameters(Producer([Opus], """[{"ssrc":1,"scalabilityMode":"L1T3"}]"""));

        var error = Assert.Throws<ArgumentException>(() => Ortc.GetProducerType(producerParams));

        Assert.StartsWith("invalid RTP parameters: audio/opus supports neither SVC nor simulcast", error.Message);
    }

    [Theory]
    [InlineData("""{"codecs":[],"encodings":[{"ssrc":1}]}""", "invalid RTP parameters: no media codec")]
    [InlineData("""{"codecs":[""" + Vp8 + """],"encodings":[{"ssrc":1,"codecPayloadType":99}]}""", "invalid encoding.codecPayloadType 99")]
    [InlineData("""{"codecs":[""" + Vp8 + "]}", "invalid RTP parameters: no encodings")]
    public void ProducerTypeNeedsAnEncodingAndItsCodec(string json, string expectedMessage)
    {
        var error = Assert.Throws<ArgumentException>(() => Ortc.GetProducerType(TestRtp.Parameters(json)));

        Assert.StartsWith(expectedMessage, error.Message);
    }

    [Fact]
    public void AudioConsumableParametersKeepProducerCodecParametersAndOnlySendableAudioExtensions()
    {
        var consumableParams = TestRtp.Consumable("audio", AppendixB.OpusProducerJson, () => 300000000);

        JsonAssert.Equivalent(
            """
            {"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2,
                        "parameters":{"minptime":10,"useinbandfec":1,"stereo":1,"usedtx":1,"sprop-stereo":1},
                        "rtcpFeedback":[{"type":"nack","parameter":""},{"type":"transport-cc","parameter":""}]}],
             "headerExtensions":[
               {"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":1,"encrypt":false,"parameters":{}},
               {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time","id":4,"encrypt":false,"parameters":{}},
               {"uri":"urn:ietf:params:rtp-hdrext:ssrc-audio-level","id":10,"encrypt":false,"parameters":{}},
               {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time","id":13,"encrypt":false,"parameters":{}},
               {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/playout-delay","id":14,"encrypt":false,"parameters":{}}],
             "encodings":[{"ssrc":300000000,"dtx":true}],
             "rtcp":{"cname":"abcd1234","reducedSize":true}}
            """,
            RtpJson.ToJsonNode(consumableParams));
    }

    [Fact]
    public void ConsumableEncodingsDropRidRtxAndCodecPayloadType()
    {
        var consumableParams = TestRtp.Consumable(
            "video",
            Producer([Vp8, Vp8Rtx], """[{"ssrc":1111,"rid":"r0","rtx":{"ssrc":1112},"codecPayloadType":96,"maxFramerate":30,"active":true}]"""),
            () => 400000000);

        JsonAssert.Equivalent(
            """[{"ssrc":400000000,"dtx":false,"maxFramerate":30,"active":true}]""",
            RtpJson.ToJsonNode(consumableParams.Encodings));
    }

    [Fact]
    public void ConsumableParametersDoNotShareStateWithTheProducer()
    {
        var routerCaps = TestRtp.RouterCapabilities();
        var producerParams = TestRtp.Parameters(AppendixB.OpusProducerJson);
        var mapping = Ortc.GetProducerRtpParametersMapping(producerParams, routerCaps);

        var consumableParams = Ortc.GetConsumableRtpParameters("audio", producerParams, routerCaps, mapping);
        consumableParams.Codecs[0].Parameters["stereo"] = 0L;
        consumableParams.Codecs[0].RtcpFeedback.Clear();

        Assert.Equal(1L, producerParams.Codecs[0].Parameters["stereo"]);
        Assert.Equal(2, routerCaps.Codecs[0].RtcpFeedback.Count);
    }

    [Fact]
    public void ConsumableParametersRejectAnInvalidKind()
    {
        var routerCaps = TestRtp.RouterCapabilities();
        var producerParams = TestRtp.Parameters(AppendixB.OpusProducerJson);
        var mapping = Ortc.GetProducerRtpParametersMapping(producerParams, routerCaps);

        var error = Assert.Throws<ArgumentException>(
            () => Ortc.GetConsumableRtpParameters("data", producerParams, routerCaps, mapping));

        Assert.Equal("invalid kind \"data\"", error.Message);
    }

    [Fact]
    public void ProducerTypeSerializesAsMediasoupSpellsIt() =>
        Assert.Equal(
            """["simple","simulcast","svc"]""",
            RtpJson.ToJsonNode(new[] { ProducerType.Simple, ProducerType.Simulcast, ProducerType.Svc }).ToJsonString());

    private static string Producer(params string[] codecsJson) =>
        Producer(codecsJson, """[{"ssrc":11111111}]""");

    private static string Producer(string[] codecsJson, string encodingsJson) =>
        $$$"""{"mid":"0","codecs":[{{{string.Join(",", codecsJson)}}}],"encodings":{{{encodingsJson}}},"rtcp":{"cname":"c"}}""";
}
