using System.Text.Json.Nodes;
using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

/// <summary>protocol.md Appendix B, from the JSON the client sends to the JSON it receives.</summary>
public class AppendixBTests
{
    [Fact]
    public void Vp8SimulcastProducerReachesTheOtherPeerAsTheAppendixConsumer()
    {
        var routerCaps = TestRtp.RouterCapabilities();
        var clientCaps = TestRtp.ClientCapabilities();
        var producerParams = TestRtp.Parameters(AppendixB.Vp8SimulcastProducerJson);

        var mapping = Ortc.GetProducerRtpParametersMapping(producerParams, routerCaps, () => AppendixB.MappedSsrcBase);
        JsonAssert.Equivalent(AppendixB.Vp8RtpMappingJson, RtpJson.ToJsonNode(mapping));
        Assert.Equal(ProducerType.Simulcast, Ortc.GetProducerType(producerParams));

        var consumableParams = Ortc.GetConsumableRtpParameters("video", producerParams, routerCaps, mapping);
        Assert.True(Ortc.CanConsume(consumableParams, clientCaps));

        var consumerParams = Ortc.GetConsumerRtpParameters(
            consumableParams, clientCaps, enableRtx: true, randomSsrc: () => AppendixB.ConsumerSsrc);
        consumerParams.Mid = new ConsumerMidAllocator().Allocate();

        JsonAssert.Equivalent(AppendixB.Vp8ConsumerJson, RtpJson.ToJsonNode(consumerParams));
    }

    [Fact]
    public void Vp8SimulcastConsumableParametersUseRouterCodecsExtensionsAndMappedSsrcs()
    {
        var consumableParams = TestRtp.Consumable("video", AppendixB.Vp8SimulcastProducerJson, () => AppendixB.MappedSsrcBase);

        JsonAssert.Equivalent(
            """
            {"codecs":[{"mimeType":"video/VP8","payloadType":101,"clockRate":90000,"parameters":{},
                        "rtcpFeedback":[{"type":"nack","parameter":""},{"type":"nack","parameter":"pli"},
                                        {"type":"ccm","parameter":"fir"},{"type":"goog-remb","parameter":""},
                                        {"type":"transport-cc","parameter":""}]},
                       {"mimeType":"video/rtx","payloadType":102,"clockRate":90000,"parameters":{"apt":101},"rtcpFeedback":[]}],
             "headerExtensions":[
               {"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":1,"encrypt":false,"parameters":{}},
               {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time","id":4,"encrypt":false,"parameters":{}},
               {"uri":"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01","id":5,"encrypt":false,"parameters":{}},
               {"uri":"http://tools.ietf.org/html/draft-ietf-avtext-framemarking-07","id":6,"encrypt":false,"parameters":{}},
               {"uri":"urn:ietf:params:rtp-hdrext:framemarking","id":7,"encrypt":false,"parameters":{}},
               {"uri":"urn:3gpp:video-orientation","id":11,"encrypt":false,"parameters":{}},
               {"uri":"urn:ietf:params:rtp-hdrext:toffset","id":12,"encrypt":false,"parameters":{}},
               {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time","id":13,"encrypt":false,"parameters":{}},
               {"uri":"http://www.webrtc.org/experiments/rtp-hdrext/playout-delay","id":14,"encrypt":false,"parameters":{}}],
             "encodings":[
               {"ssrc":200000000,"dtx":false,"scaleResolutionDownBy":4,"maxBitrate":500000,"scalabilityMode":"L1T3"},
               {"ssrc":200000001,"dtx":false,"scaleResolutionDownBy":2,"maxBitrate":1000000,"scalabilityMode":"L1T3"},
               {"ssrc":200000002,"dtx":false,"scaleResolutionDownBy":1,"maxBitrate":5000000,"scalabilityMode":"L1T3"}],
             "rtcp":{"cname":"abcd1234","reducedSize":true}}
            """,
            RtpJson.ToJsonNode(consumableParams));
    }

    [Theory]
    [InlineData(true, """[{"type":"nack","parameter":""}]""")]
    [InlineData(false, "[]")]
    public void OpusConsumerGetsNackOnlyWithRtxEnabled(bool enableRtx, string expectedFeedback)
    {
        var clientCaps = TestRtp.ClientCapabilities();
        var consumableParams = TestRtp.Consumable("audio", AppendixB.OpusProducerJson);
        Assert.True(Ortc.CanConsume(consumableParams, clientCaps));

        var consumerParams = Ortc.GetConsumerRtpParameters(
            consumableParams, clientCaps, enableRtx, randomSsrc: () => AppendixB.ConsumerSsrc);

        var expected = JsonNode.Parse(AppendixB.OpusConsumerJson)!;
        expected["codecs"]![0]!["rtcpFeedback"] = JsonNode.Parse(expectedFeedback);
        JsonAssert.Equivalent(expected, RtpJson.ToJsonNode(consumerParams));
    }

    [Fact]
    public void OpusProducerIsSimple() =>
        Assert.Equal(ProducerType.Simple, Ortc.GetProducerType(TestRtp.Parameters(AppendixB.OpusProducerJson)));
}
