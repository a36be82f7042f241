using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class SupportedRtpCapabilitiesTests
{
    [Fact]
    public void EachCallReturnsAnIndependentCopy()
    {
        var first = SupportedRtpCapabilities.Create();
        first.Codecs[0].Parameters["changed"] = 1L;
        first.HeaderExtensions.Clear();

        var second = SupportedRtpCapabilities.Create();

        Assert.Empty(second.Codecs[0].Parameters);
        Assert.Equal(17, second.HeaderExtensions.Count);
    }

    [Fact]
    public void TableCoversTheDocumentedCodecs()
    {
        var codecs = SupportedRtpCapabilities.Create().Codecs;

        Assert.Equal(
            ["audio/opus", "audio/multiopus", "audio/PCMU", "audio/PCMA", "audio/ISAC", "audio/G722", "audio/iLBC",
             "audio/SILK", "audio/CN", "audio/telephone-event", "video/VP8", "video/VP9", "video/H264",
             "video/H264-SVC", "video/H265"],
            codecs.Select(codec => codec.MimeType).Distinct());
        Assert.Equal([4, 6, 8], codecs.Where(codec => codec.MimeType == "audio/multiopus").Select(codec => codec.Channels!.Value));
        Assert.All(codecs.Where(codec => codec.Kind == "video"), codec => Assert.Null(codec.Channels));
        Assert.All(
            codecs.Where(codec => codec.MimeType.StartsWith("video/H26", StringComparison.Ordinal)),
            codec => Assert.Equal(1L, codec.Parameters["level-asymmetry-allowed"]));
        Assert.Empty(codecs.Single(codec => codec.MimeType == "audio/CN" && codec.ClockRate == 8000).RtcpFeedback);
    }
}
