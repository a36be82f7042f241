using System.Text.Json;
using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class RtpParametersParserTests
{
    [Fact]
    public void MinimalParametersGetDefaults()
    {
        var parameters = Parse("""{"codecs":[{"mimeType":"video/VP8","payloadType":96,"clockRate":90000}]}""");

        JsonAssert.Equivalent(
            """
            {"codecs":[{"mimeType":"video/VP8","payloadType":96,"clockRate":90000,"parameters":{},"rtcpFeedback":[]}],
             "headerExtensions":[],"encodings":[],"rtcp":{"reducedSize":true}}
            """,
            RtpJson.ToJsonNode(parameters));
    }

    [Fact]
    public void SimulcastProducerParametersFromTheClientRoundTrip()
    {
        var parameters = Parse(AppendixB.Vp8SimulcastProducerJson);

        Assert.Equal("1", parameters.Mid);
        Assert.Equal(3, parameters.Encodings.Count);
        Assert.Equal(500000u, parameters.Encodings[0].MaxBitrate);
        Assert.All(parameters.Encodings, encoding => Assert.False(encoding.Dtx));
        var expected = JsonNodeWithDefaults(AppendixB.Vp8SimulcastProducerJson);
        JsonAssert.Equivalent(expected, RtpJson.ToJsonNode(parameters));
    }

    [Fact]
    public void MsidIsKept()
    {
        Assert.Equal("stream-1 track-1", Parse("""{"codecs":[],"msid":"stream-1 track-1"}""").Msid);
        Assert.Null(Parse("""{"codecs":[]}""").Msid);
    }

    [Fact]
    public void EveryEncodingFieldIsKept()
    {
        const string encodingJson = """
            {"ssrc":4294967295,"rid":"r0","codecPayloadType":96,"rtx":{"ssrc":1234},"dtx":true,
             "scalabilityMode":"L1T3","scaleResolutionDownBy":1.5,"maxBitrate":500000,"maxFramerate":29.97,
             "adaptivePtime":true,"priority":"high","networkPriority":"low","active":false}
            """;

        var encoding = RtpParametersParser.ParseEncoding(Json(encodingJson));

        Assert.Equal(uint.MaxValue, encoding.Ssrc);
        Assert.Equal(new RtpRtxParameters(1234), encoding.Rtx);
        JsonAssert.Equivalent(encodingJson, RtpJson.ToJsonNode(encoding));
    }

    [Fact]
    public void AudioChannelsDefaultToOneAndVideoChannelsAreDropped()
    {
        Assert.Equal(1, RtpParametersParser.ParseCodec(Json("""{"mimeType":"audio/PCMU","payloadType":0,"clockRate":8000}""")).Channels);
        Assert.Null(RtpParametersParser.ParseCodec(Json("""{"mimeType":"video/VP8","payloadType":96,"clockRate":90000,"channels":2}""")).Channels);
    }

    [Fact]
    public void HeaderExtensionDefaults()
    {
        var extension = RtpParametersParser.ParseHeaderExtension(Json("""{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":4}"""));

        JsonAssert.Equivalent(
            """{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":4,"encrypt":false,"parameters":{}}""",
            RtpJson.ToJsonNode(extension));
    }

    [Fact]
    public void RtcpReducedSizeDefaultsToTrue() =>
        Assert.Equal(new RtcpParameters { Cname = "x", ReducedSize = true }, RtpParametersParser.ParseRtcp(Json("""{"cname":"x"}""")));

    [Fact]
    public void RtcpKeepsAnExplicitReducedSizeFalse() =>
        Assert.False(RtpParametersParser.ParseRtcp(Json("""{"cname":"x","reducedSize":false}""")).ReducedSize);

    [Fact]
    public void UnknownFieldsAreDropped()
    {
        var parameters = Parse("""{"codecs":[],"encodings":[{"rid":"r0","codec":{"mimeType":"video/VP8"}}],"extra":1}""");

        JsonAssert.Equivalent("""{"rid":"r0","dtx":false}""", RtpJson.ToJsonNode(parameters.Encodings[0]));
    }

    [Theory]
    [InlineData("""[]""", "params is not an object")]
    [InlineData("""{}""", "missing params.codecs")]
    [InlineData("""{"codecs":{}}""", "missing params.codecs")]
    [InlineData("""{"codecs":[],"mid":1}""", "invalid params.mid")]
    [InlineData("""{"codecs":[],"headerExtensions":{}}""", "params.headerExtensions is not an array")]
    [InlineData("""{"codecs":[],"encodings":{}}""", "params.encodings is not an array")]
    [InlineData("""{"codecs":[],"rtcp":"x"}""", "params.rtcp is not an object")]
    [InlineData("""{"codecs":[{"payloadType":96,"clockRate":90000}]}""", "missing codec.mimeType")]
    [InlineData("""{"codecs":[{"mimeType":"application/x","payloadType":96,"clockRate":90000}]}""", "invalid codec.mimeType")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000}]}""", "missing codec.payloadType")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","payloadType":"96","clockRate":90000}]}""", "invalid codec.payloadType")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","payloadType":96}]}""", "missing codec.clockRate")]
    [InlineData("""{"codecs":[{"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":"96"}}]}""", "invalid codec apt parameter")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","payloadType":96,"clockRate":90000,"rtcpFeedback":[{}]}]}""", "missing fb.type")]
    [InlineData("""{"codecs":[],"headerExtensions":[{"id":1}]}""", "missing ext.uri")]
    [InlineData("""{"codecs":[],"headerExtensions":[{"uri":"u"}]}""", "missing ext.id")]
    [InlineData("""{"codecs":[],"headerExtensions":[{"uri":"u","id":"1"}]}""", "invalid ext.id")]
    [InlineData("""{"codecs":[],"headerExtensions":[{"uri":"u","id":0}]}""", "RTP extension id cannot be 0")]
    [InlineData("""{"codecs":[],"headerExtensions":[{"uri":"u","id":1,"encrypt":1}]}""", "invalid ext.encrypt")]
    [InlineData("""{"codecs":[],"headerExtensions":[{"uri":"u","id":1,"parameters":{"a":[]}}]}""", "invalid header extension parameter [key:a")]
    [InlineData("""{"codecs":[],"encodings":[1]}""", "encoding is not an object")]
    [InlineData("""{"codecs":[],"encodings":[{"ssrc":"1"}]}""", "invalid encoding.ssrc")]
    [InlineData("""{"codecs":[],"encodings":[{"ssrc":-1}]}""", "invalid encoding.ssrc")]
    [InlineData("""{"codecs":[],"encodings":[{"ssrc":4294967296}]}""", "invalid encoding.ssrc")]
    [InlineData("""{"codecs":[],"encodings":[{"rid":0}]}""", "invalid encoding.rid")]
    [InlineData("""{"codecs":[],"encodings":[{"rtx":{}}]}""", "missing encoding.rtx.ssrc")]
    [InlineData("""{"codecs":[],"encodings":[{"rtx":1}]}""", "encoding.rtx is not an object")]
    [InlineData("""{"codecs":[],"encodings":[{"dtx":"true"}]}""", "invalid encoding.dtx")]
    [InlineData("""{"codecs":[],"encodings":[{"scalabilityMode":3}]}""", "invalid encoding.scalabilityMode")]
    [InlineData("""{"codecs":[],"encodings":[{"maxBitrate":"1"}]}""", "invalid encoding.maxBitrate")]
    [InlineData("""{"codecs":[],"encodings":[{"scaleResolutionDownBy":"2"}]}""", "invalid encoding.scaleResolutionDownBy")]
    [InlineData("""{"codecs":[],"rtcp":{"cname":1}}""", "invalid rtcp.cname")]
    [InlineData("""{"codecs":[],"msid":["s","t"]}""", "invalid params.msid")]
    [InlineData("""{"codecs":[],"rtcp":{"reducedSize":"yes"}}""", "invalid rtcp.reducedSize")]
    public void InvalidParametersAreRejected(string json, string expectedMessage)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(json));

        Assert.Contains(expectedMessage, error.Message);
    }

    // The client's JSON with the defaults the parser adds: dtx false on encodings, encrypt false and
    // empty parameters on header extensions.
    private static System.Text.Json.Nodes.JsonNode JsonNodeWithDefaults(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        foreach (var encoding in node["encodings"]!.AsArray())
        {
            encoding!["dtx"] = false;
        }

        foreach (var extension in node["headerExtensions"]!.AsArray())
        {
            extension!["encrypt"] ??= false;
            extension["parameters"] ??= new System.Text.Json.Nodes.JsonObject();
        }

        return node;
    }

    private static RtpParameters Parse(string json) => RtpParametersParser.Parse(Json(json));

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
}
