using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

/// <summary>protocol.md §7.7 and the interoperability checkpoints 15 and 16 of §9.</summary>
public class ConsumerRtpParametersTests
{
    private const string ChromeVideoFeedback = """
        [{"type":"goog-remb"},{"type":"transport-cc"},{"type":"ccm","parameter":"fir"},{"type":"nack"},{"type":"nack","parameter":"pli"}]
        """;

    [Theory]
    [InlineData("audio", """{"mimeType":"audio/opus","payloadType":111,"clockRate":48000,"channels":2}""", "", new[] { 100 })]
    [InlineData("video", """{"mimeType":"video/VP8","payloadType":96,"clockRate":90000}""", """{"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":96}}""", new[] { 101, 102 })]
    [InlineData("video", """{"mimeType":"video/VP9","payloadType":100,"clockRate":90000,"parameters":{"profile-id":2}}""", """{"mimeType":"video/rtx","payloadType":101,"clockRate":90000,"parameters":{"apt":100}}""", new[] { 103, 104 })]
    [InlineData("video", """{"mimeType":"video/H264","payloadType":102,"clockRate":90000,"parameters":{"packetization-mode":1,"profile-level-id":"42e01f","level-asymmetry-allowed":1}}""", """{"mimeType":"video/rtx","payloadType":103,"clockRate":90000,"parameters":{"apt":102}}""", new[] { 107, 108 })]
    public void Checkpoint15ConsumerPayloadTypesAreTheRoutersNotTheBrowsers(
        string kind, string mediaCodecJson, string rtxCodecJson, int[] expectedPayloadTypes)
    {
        var codecsJson = rtxCodecJson == "" ? mediaCodecJson : $"{mediaCodecJson},{rtxCodecJson}";
        var consumableParams = TestRtp.Consumable(kind, $$"""{"mid":"0","codecs":[{{codecsJson}}],"encodings":[{"ssrc":5555}]}""");

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, TestRtp.ClientCapabilities(), enableRtx: true);

        Assert.Equal(expectedPayloadTypes, consumerParams.Codecs.Select(codec => codec.PayloadType));
        Assert.All(consumerParams.Codecs.Skip(1), rtx => Assert.Equal((long)expectedPayloadTypes[0], rtx.Parameters["apt"]));
    }

    [Fact]
    public void Checkpoint16Vp8SimulcastConsumerHasOneL3T3EncodingWithRtxAndTheHighestBitrate()
    {
        var producerParams = TestRtp.Parameters(AppendixB.Vp8SimulcastProducerJson);
        var routerCaps = TestRtp.RouterCapabilities();
        var mapping = Ortc.GetProducerRtpParametersMapping(producerParams, routerCaps);
        var consumableParams = Ortc.GetConsumableRtpParameters("video", producerParams, routerCaps, mapping);

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, TestRtp.ClientCapabilities(), enableRtx: true);

        Assert.Equal(ProducerType.Simulcast, Ortc.GetProducerType(producerParams));
        var encoding = Assert.Single(consumerParams.Encodings);
        Assert.Equal("L3T3", encoding.ScalabilityMode);
        Assert.Equal(5_000_000u, encoding.MaxBitrate);
        Assert.NotNull(encoding.Ssrc);
        Assert.InRange(encoding.Ssrc.Value, RandomSsrc.Min, RandomSsrc.Max);
        Assert.Equal(encoding.Ssrc + 1, encoding.Rtx?.Ssrc);
    }

    [Fact]
    public void TheProducersMsidAndCnameReachItsConsumers()
    {
        var consumableParams = TestRtp.Consumable("audio",
            """{"mid":"0","msid":"stream-1 track-1","codecs":[{"mimeType":"audio/opus","payloadType":111,"clockRate":48000,"channels":2}],"encodings":[{"ssrc":5555}],"rtcp":{"cname":"c1"}}""");

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, TestRtp.ClientCapabilities(), enableRtx: true);

        Assert.Equal("stream-1 track-1", consumerParams.Msid);
        Assert.Equal(new RtcpParameters { Cname = "c1", ReducedSize = true }, consumerParams.Rtcp);
    }

    [Fact]
    public void WithoutRtxTheConsumerGetsNoRtxCodecNoRtxStreamAndNoPlainNack()
    {
        var consumableParams = TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson);

        var consumerParams = Ortc.GetConsumerRtpParameters(
            consumableParams, TestRtp.ClientCapabilities(), enableRtx: false, randomSsrc: () => 111111111);

        var codec = Assert.Single(consumerParams.Codecs);
        Assert.Equal([new RtcpFeedback("transport-cc"), new RtcpFeedback("ccm", "fir"), new RtcpFeedback("nack", "pli")], codec.RtcpFeedback);
        JsonAssert.Equivalent(
            """[{"ssrc":111111111,"scalabilityMode":"L3T3","maxBitrate":5000000}]""",
            RtpJson.ToJsonNode(consumerParams.Encodings));
    }

    [Fact]
    public void RtxIsDroppedWhenTheClientLacksIt()
    {
        var consumableParams = TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson);
        var clientCaps = ClientCaps(
            [$$"""{"mimeType":"video/VP8","preferredPayloadType":101,"clockRate":90000,"rtcpFeedback":{{ChromeVideoFeedback}}}"""],
            TransportCcExtension);

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, clientCaps, enableRtx: true);

        Assert.Equal(["video/VP8"], consumerParams.Codecs.Select(codec => codec.MimeType));
        Assert.Null(consumerParams.Encodings[0].Rtx);
    }

    [Fact]
    public void RtxOfACodecTheClientLacksIsDropped()
    {
        // The client's RTX codec matches the router's RTX for VP8 too (RTX matching ignores apt), but the
        // client lacks VP8 itself.
        var consumableParams = TestRtp.Consumable(
            "video",
            """
            {"mid":"0","encodings":[{"ssrc":5555}],"codecs":[
              {"mimeType":"video/VP8","payloadType":96,"clockRate":90000},
              {"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":96}},
              {"mimeType":"video/VP9","payloadType":98,"clockRate":90000,"parameters":{"profile-id":2}}]}
            """);
        var clientCaps = ClientCaps(
            [
                """{"mimeType":"video/VP9","preferredPayloadType":103,"clockRate":90000,"parameters":{"profile-id":2}}""",
                """{"mimeType":"video/rtx","preferredPayloadType":104,"clockRate":90000,"parameters":{"apt":103}}""",
            ],
            TransportCcExtension);

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, clientCaps, enableRtx: true);

        Assert.Equal(
            ["video/VP9 103", "video/rtx 104"],
            consumerParams.Codecs.Select(codec => $"{codec.MimeType} {codec.PayloadType}"));
    }

    [Theory]
    [InlineData(true, false, new[] { "transport-cc", "ccm fir", "nack", "nack pli" })]
    [InlineData(true, true, new[] { "transport-cc", "ccm fir", "nack", "nack pli" })]
    [InlineData(false, true, new[] { "goog-remb", "ccm fir", "nack", "nack pli" })]
    [InlineData(false, false, new[] { "ccm fir", "nack", "nack pli" })]
    public void OneBandwidthEstimationFeedbackIsKept(bool transportCc, bool absSendTime, string[] expectedFeedback)
    {
        var consumableParams = TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson);
        List<string> extensions = [];
        if (transportCc)
        {
            extensions.Add(TransportCcExtension);
        }

        if (absSendTime)
        {
            extensions.Add("""{"kind":"video","uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time","preferredId":4}""");
        }

        var clientCaps = ClientCaps(
            [$$"""{"mimeType":"video/VP8","preferredPayloadType":101,"clockRate":90000,"rtcpFeedback":{{ChromeVideoFeedback}}}"""],
            [.. extensions]);

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, clientCaps, enableRtx: true);

        Assert.Equal(
            expectedFeedback,
            consumerParams.Codecs[0].RtcpFeedback.Select(feedback => $"{feedback.Type} {feedback.Parameter}".Trim()));
    }

    [Fact]
    public void HeaderExtensionsNeedTheSameUriAndId()
    {
        var consumableParams = TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson);
        var clientCaps = ClientCaps(
            [$$"""{"mimeType":"video/VP8","preferredPayloadType":101,"clockRate":90000,"rtcpFeedback":{{ChromeVideoFeedback}}}"""],
            """{"kind":"video","uri":"urn:ietf:params:rtp-hdrext:sdes:mid","preferredId":1}""",
            """{"kind":"video","uri":"urn:3gpp:video-orientation","preferredId":13}""",
            """{"kind":"video","uri":"urn:ietf:params:rtp-hdrext:unknown","preferredId":12}""");

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, clientCaps, enableRtx: true);

        Assert.Equal([RtpHeaderExtensionUris.Mid], consumerParams.HeaderExtensions.Select(extension => extension.Uri));
    }

    [Fact]
    public void NoCommonMediaCodecIsAnError()
    {
        var consumableParams = TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson);
        var clientCaps = ClientCaps(
            [
                """{"mimeType":"video/VP9","preferredPayloadType":103,"clockRate":90000,"parameters":{"profile-id":2}}""",
                """{"mimeType":"video/rtx","preferredPayloadType":104,"clockRate":90000,"parameters":{"apt":103}}""",
            ]);

        var error = Assert.Throws<NotSupportedException>(
            () => Ortc.GetConsumerRtpParameters(consumableParams, clientCaps, enableRtx: true));

        Assert.Equal("no compatible media codecs", error.Message);
    }

    [Theory]
    [InlineData("""{"mimeType":"video/VP9","payloadType":98,"clockRate":90000,"parameters":{"profile-id":2}}""", """[{"ssrc":1,"scalabilityMode":"L3T3_KEY"}]""", "L3T3_KEY")]
    [InlineData("""{"mimeType":"video/VP8","payloadType":96,"clockRate":90000}""", """[{"ssrc":1,"scalabilityMode":"L1T3"}]""", "L1T3")]
    [InlineData("""{"mimeType":"video/VP8","payloadType":96,"clockRate":90000}""", """[{"ssrc":1}]""", null)]
    [InlineData("""{"mimeType":"video/VP8","payloadType":96,"clockRate":90000}""", """[{"rid":"a"},{"rid":"b"}]""", "L2T1")]
    [InlineData("""{"mimeType":"video/VP8","payloadType":96,"clockRate":90000}""", """[{"rid":"a"},{"rid":"b","scalabilityMode":"L1T2"},{"rid":"c"}]""", "L3T2")]
    public void ScalabilityModeIsTheProducersOrOneSpatialLayerPerSimulcastStream(
        string codecJson, string encodingsJson, string? expectedMode)
    {
        var consumableParams = TestRtp.Consumable("video", $$"""{"mid":"0","codecs":[{{codecJson}}],"encodings":{{encodingsJson}}}""");

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, TestRtp.ClientCapabilities(), enableRtx: true);

        Assert.Equal(expectedMode, Assert.Single(consumerParams.Encodings).ScalabilityMode);
        Assert.Null(consumerParams.Encodings[0].MaxBitrate);
    }

    [Theory]
    [InlineData("""[{"rid":"a","maxBitrate":100000},{"rid":"b","maxBitrate":900000},{"rid":"c","maxBitrate":300000}]""", 900000u)]
    [InlineData("""[{"rid":"a"},{"rid":"b","maxBitrate":300000},{"rid":"c"}]""", 300000u)]
    [InlineData("""[{"rid":"a","maxBitrate":0},{"rid":"b"}]""", null)]
    public void MaxBitrateIsTheHighestOfTheProducerStreams(string encodingsJson, uint? expectedMaxBitrate)
    {
        var consumableParams = TestRtp.Consumable(
            "video",
            $$"""{"mid":"0","codecs":[{"mimeType":"video/VP8","payloadType":96,"clockRate":90000}],"encodings":{{encodingsJson}}}""");

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, TestRtp.ClientCapabilities(), enableRtx: true);

        Assert.Equal(expectedMaxBitrate, Assert.Single(consumerParams.Encodings).MaxBitrate);
    }

    [Fact]
    public void PipeConsumerKeepsEveryStream()
    {
        var consumableParams = TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson);
        var ssrcs = new Queue<uint>([500000000, 600000000]);

        var consumerParams = Ortc.GetConsumerRtpParameters(
            consumableParams, TestRtp.ClientCapabilities(), enableRtx: true, pipe: true, randomSsrc: ssrcs.Dequeue);

        JsonAssert.Equivalent(
            """
            [{"ssrc":500000000,"rtx":{"ssrc":600000000},"dtx":false,"scaleResolutionDownBy":4,"maxBitrate":500000,"scalabilityMode":"L1T3"},
             {"ssrc":500000001,"rtx":{"ssrc":600000001},"dtx":false,"scaleResolutionDownBy":2,"maxBitrate":1000000,"scalabilityMode":"L1T3"},
             {"ssrc":500000002,"rtx":{"ssrc":600000002},"dtx":false,"scaleResolutionDownBy":1,"maxBitrate":5000000,"scalabilityMode":"L1T3"}]
            """,
            RtpJson.ToJsonNode(consumerParams.Encodings));
    }

    [Fact]
    public void ConsumerParametersDoNotChangeTheConsumableParameters()
    {
        var consumableParams = TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson);
        var before = RtpJson.ToJsonNode(consumableParams);

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, TestRtp.ClientCapabilities(), enableRtx: false);
        consumerParams.HeaderExtensions[0].Parameters["x"] = 1L;

        JsonAssert.Equivalent(before, RtpJson.ToJsonNode(consumableParams));
    }

    [Fact]
    public void ConsumerParametersHaveNoMidUntilTheTransportAssignsOne()
    {
        var consumableParams = TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson);

        var consumerParams = Ortc.GetConsumerRtpParameters(consumableParams, TestRtp.ClientCapabilities(), enableRtx: true);

        Assert.Null(consumerParams.Mid);
        Assert.False(RtpJson.ToJsonNode(consumerParams).AsObject().ContainsKey("mid"));
    }

    private const string TransportCcExtension =
        """{"kind":"video","uri":"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01","preferredId":5}""";

    private static RtpCapabilities ClientCaps(string[] codecsJson, params string[] headerExtensionsJson) =>
        TestRtp.Capabilities(
            $$"""{"codecs":[{{string.Join(",", codecsJson)}}],"headerExtensions":[{{string.Join(",", headerExtensionsJson)}}]}""");
}
