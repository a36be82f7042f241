using System.Text.Json;
using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class RtpCapabilitiesParserTests
{
    [Fact]
    public void AppendixARoundTrips()
    {
        var capabilities = RtpCapabilitiesParser.Parse(Json(DemoConfig.RouterRtpCapabilitiesJson));

        JsonAssert.Equivalent(DemoConfig.RouterRtpCapabilitiesJson, RtpJson.ToJsonNode(capabilities));
    }

    [Fact]
    public void MissingListsBecomeEmpty()
    {
        var capabilities = RtpCapabilitiesParser.Parse(Json("""{"codecs":null}"""));

        Assert.Empty(capabilities.Codecs);
        Assert.Empty(capabilities.HeaderExtensions);
    }

    [Fact]
    public void KindIsTakenFromTheMimeTypeWhichKeepsItsSpelling()
    {
        var codec = ParseCodec("""{"kind":"video","mimeType":"AUDIO/Opus","clockRate":48000,"channels":2}""");

        Assert.Equal("audio", codec.Kind);
        Assert.Equal("AUDIO/Opus", codec.MimeType);
    }

    [Fact]
    public void AudioChannelsDefaultToOne()
    {
        Assert.Equal(1, ParseCodec("""{"mimeType":"audio/PCMU","clockRate":8000}""").Channels);
        Assert.Equal(1, ParseCodec("""{"mimeType":"audio/PCMU","clockRate":8000,"channels":null}""").Channels);
    }

    [Fact]
    public void VideoChannelsAreDropped()
    {
        var codec = ParseCodec("""{"mimeType":"video/VP8","clockRate":90000,"channels":"whatever"}""");

        Assert.Null(codec.Channels);
        Assert.False(RtpJson.ToJsonNode(codec).AsObject().ContainsKey("channels"));
    }

    [Fact]
    public void OptionalCodecFieldsGetDefaults()
    {
        var codec = ParseCodec("""{"mimeType":"video/VP8","clockRate":90000}""");

        Assert.Null(codec.PreferredPayloadType);
        Assert.Empty(codec.Parameters);
        Assert.Empty(codec.RtcpFeedback);
    }

    [Fact]
    public void ParameterValuesKeepTheirJsonType()
    {
        var codec = ParseCodec(
            """{"mimeType":"video/H264","clockRate":90000,"parameters":{"profile-level-id":"42e01f","packetization-mode":1,"ratio":0.5,"big":12345678901}}""");

        Assert.Equal("42e01f", Assert.IsType<string>(codec.Parameters["profile-level-id"]));
        Assert.Equal(1L, Assert.IsType<long>(codec.Parameters["packetization-mode"]));
        Assert.Equal(0.5, Assert.IsType<double>(codec.Parameters["ratio"]));
        Assert.Equal(12345678901L, codec.Parameters["big"]);
    }

    [Fact]
    public void RtcpFeedbackParameterDefaultsToEmpty()
    {
        var codec = ParseCodec("""{"mimeType":"video/VP8","clockRate":90000,"rtcpFeedback":[{"type":"nack"},{"type":"nack","parameter":"pli"}]}""");

        Assert.Equal([new RtcpFeedback("nack", ""), new RtcpFeedback("nack", "pli")], codec.RtcpFeedback);
    }

    [Fact]
    public void HeaderExtensionDefaults()
    {
        var extension = RtpCapabilitiesParser.ParseHeaderExtension(
            Json("""{"kind":"audio","uri":"urn:ietf:params:rtp-hdrext:sdes:mid","preferredId":1}"""));

        Assert.False(extension.PreferredEncrypt);
        Assert.Equal("sendrecv", extension.Direction);
        Assert.Equal(1, extension.PreferredId);
    }

    [Theory]
    [InlineData("""[]""", "caps is not an object")]
    [InlineData("""{"codecs":{}}""", "caps.codecs is not an array")]
    [InlineData("""{"headerExtensions":"x"}""", "caps.headerExtensions is not an array")]
    [InlineData("""{"codecs":[1]}""", "codec is not an object")]
    [InlineData("""{"codecs":[{"clockRate":90000}]}""", "missing codec.mimeType")]
    [InlineData("""{"codecs":[{"mimeType":5,"clockRate":90000}]}""", "missing codec.mimeType")]
    [InlineData("""{"codecs":[{"mimeType":"text/plain","clockRate":90000}]}""", "invalid codec.mimeType")]
    [InlineData("""{"codecs":[{"mimeType":"video/","clockRate":90000}]}""", "invalid codec.mimeType")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8"}]}""", "missing codec.clockRate")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":"90000"}]}""", "invalid codec.clockRate")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000.5}]}""", "invalid codec.clockRate")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000,"preferredPayloadType":"96"}]}""", "invalid codec.preferredPayloadType")]
    [InlineData("""{"codecs":[{"mimeType":"audio/opus","clockRate":48000,"channels":"2"}]}""", "invalid codec.channels")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000,"parameters":[]}]}""", "codec.parameters is not an object")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000,"parameters":{"x":true}}]}""", "invalid codec parameter [key:x, value:true]")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000,"parameters":{"x":null}}]}""", "invalid codec parameter [key:x, value:null]")]
    [InlineData("""{"codecs":[{"mimeType":"video/rtx","clockRate":90000,"parameters":{"apt":"96"}}]}""", "invalid codec apt parameter")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000,"rtcpFeedback":"nack"}]}""", "codec.rtcpFeedback is not an array")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000,"rtcpFeedback":["nack"]}]}""", "fb is not an object")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000,"rtcpFeedback":[{"parameter":"pli"}]}]}""", "missing fb.type")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000,"rtcpFeedback":[{"type":""}]}]}""", "missing fb.type")]
    [InlineData("""{"codecs":[{"mimeType":"video/VP8","clockRate":90000,"rtcpFeedback":[{"type":"nack","parameter":1}]}]}""", "invalid fb.parameter")]
    [InlineData("""{"headerExtensions":[{"kind":"data","uri":"u","preferredId":1}]}""", "invalid ext.kind")]
    [InlineData("""{"headerExtensions":[{"uri":"u","preferredId":1}]}""", "invalid ext.kind")]
    [InlineData("""{"headerExtensions":[{"kind":"audio","preferredId":1}]}""", "missing ext.uri")]
    [InlineData("""{"headerExtensions":[{"kind":"audio","uri":"u"}]}""", "missing ext.preferredId")]
    [InlineData("""{"headerExtensions":[{"kind":"audio","uri":"u","preferredId":"1"}]}""", "invalid ext.preferredId")]
    [InlineData("""{"headerExtensions":[{"kind":"audio","uri":"u","preferredId":1,"preferredEncrypt":"yes"}]}""", "invalid ext.preferredEncrypt")]
    [InlineData("""{"headerExtensions":[{"kind":"audio","uri":"u","preferredId":1,"direction":"both"}]}""", "invalid ext.direction")]
    public void InvalidCapabilitiesAreRejected(string json, string expectedMessage)
    {
        var error = Assert.Throws<ArgumentException>(() => RtpCapabilitiesParser.Parse(Json(json)));

        Assert.Contains(expectedMessage, error.Message);
    }

    private static RtpCodecCapability ParseCodec(string json) => RtpCapabilitiesParser.ParseCodec(Json(json));

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
}
