using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class CodecMatcherTests
{
    [Fact]
    public void MimeTypeComparisonIgnoresCase() =>
        Assert.True(CodecMatcher.Match(Video("video/vp8"), Video("VIDEO/VP8"), strict: true));

    [Fact]
    public void DifferentMimeTypesDoNotMatch() =>
        Assert.False(CodecMatcher.Match(Video("video/VP8"), Video("video/VP9")));

    [Fact]
    public void DifferentClockRatesDoNotMatch() =>
        Assert.False(CodecMatcher.Match(Audio("audio/opus", 48000, 2), Audio("audio/opus", 16000, 2)));

    [Fact]
    public void DifferentChannelsDoNotMatch() =>
        Assert.False(CodecMatcher.Match(Audio("audio/opus", 48000, 2), Audio("audio/opus", 48000, 1)));

    [Fact]
    public void MultiopusComparesStreamCountsEvenWhenNotStrict()
    {
        var a = Audio("audio/multiopus", 48000, 6, ("num_streams", 4L), ("coupled_streams", 2L));

        Assert.True(CodecMatcher.Match(a, Audio("audio/multiopus", 48000, 6, ("num_streams", 4L), ("coupled_streams", 2L))));
        Assert.False(CodecMatcher.Match(a, Audio("audio/multiopus", 48000, 6, ("num_streams", 3L), ("coupled_streams", 2L))));
        Assert.False(CodecMatcher.Match(a, Audio("audio/multiopus", 48000, 6, ("num_streams", 4L), ("coupled_streams", 1L))));
        Assert.False(CodecMatcher.Match(a, Audio("audio/multiopus", 48000, 6, ("num_streams", 4L))));
    }

    [Fact]
    public void NonStrictMatchIgnoresCodecSpecificParameters()
    {
        Assert.True(CodecMatcher.Match(H264(("profile-level-id", "640032")), H264(("profile-level-id", "42e01f"))));
        Assert.True(CodecMatcher.Match(H264(("packetization-mode", 1L)), H264()));
        Assert.True(CodecMatcher.Match(Video("video/VP9", ("profile-id", 2L)), Video("video/VP9")));
    }

    [Fact]
    public void StrictH264RequiresTheSamePacketizationMode()
    {
        Assert.False(CodecMatcher.Match(H264(("packetization-mode", 1L)), H264(), strict: true));
        Assert.True(CodecMatcher.Match(H264(("packetization-mode", 0L)), H264(), strict: true));
        Assert.True(CodecMatcher.Match(H264(("packetization-mode", 1L)), H264(("packetization-mode", 1L)), strict: true));
    }

    [Fact]
    public void StrictH264RequiresTheSameProfile()
    {
        Assert.False(CodecMatcher.Match(H264(("profile-level-id", "4d0032")), H264(("profile-level-id", "42e01f")), strict: true));
        Assert.False(CodecMatcher.Match(H264(("profile-level-id", "42001f")), H264(("profile-level-id", "42e01f")), strict: true));
        Assert.True(CodecMatcher.Match(H264(("profile-level-id", "42e034")), H264(("profile-level-id", "42e01f")), strict: true));
    }

    [Fact]
    public void StrictH264TreatsAMissingProfileLevelIdAsConstrainedBaseline()
    {
        Assert.True(CodecMatcher.Match(H264(), H264(("profile-level-id", "42e01f")), strict: true));
        Assert.False(CodecMatcher.Match(H264(), H264(("profile-level-id", "640032")), strict: true));
    }

    [Fact]
    public void StrictH264RejectsAnInvalidProfileLevelId() =>
        Assert.False(CodecMatcher.Match(H264(("profile-level-id", "zzzzzz")), H264(("profile-level-id", "42e01f")), strict: true));

    [Fact]
    public void StrictH264ApplyToH264Svc() =>
        Assert.False(CodecMatcher.Match(
            Video("video/H264-SVC", ("profile-level-id", "640032")), Video("video/H264-SVC", ("profile-level-id", "42e01f")), strict: true));

    [Fact]
    public void ModifyKeepsTheLocalLevelWhenBothSidesAllowAsymmetry()
    {
        var producer = H264(("profile-level-id", "42e034"), ("level-asymmetry-allowed", 1L));

        Assert.True(CodecMatcher.Match(producer, H264(("profile-level-id", "42e01f"), ("level-asymmetry-allowed", 1L)), strict: true, modify: true));

        Assert.Equal("42e034", producer.Parameters["profile-level-id"]);
    }

    [Fact]
    public void ModifyTakesTheLowerLevelWithoutAsymmetry()
    {
        var producer = H264(("profile-level-id", "42e034"), ("level-asymmetry-allowed", 1L));

        Assert.True(CodecMatcher.Match(producer, H264(("profile-level-id", "42e01f")), strict: true, modify: true));

        Assert.Equal("42e01f", producer.Parameters["profile-level-id"]);
    }

    [Fact]
    public void ModifyWritesTheDefaultWhenOnlyTheOtherSideHasAnId()
    {
        var producer = H264();

        Assert.True(CodecMatcher.Match(producer, H264(("profile-level-id", "42e01f")), strict: true, modify: true));

        Assert.Equal("42e01f", producer.Parameters["profile-level-id"]);
    }

    [Fact]
    public void ModifyLeavesNoIdWhenNeitherSideHasOne()
    {
        var producer = H264(("profile-level-id", ""));

        Assert.True(CodecMatcher.Match(producer, H264(), strict: true, modify: true));

        Assert.False(producer.Parameters.ContainsKey("profile-level-id"));
    }

    [Fact]
    public void WithoutModifyParametersAreUntouched()
    {
        var producer = H264(("profile-level-id", "42e034"));

        Assert.True(CodecMatcher.Match(producer, H264(("profile-level-id", "42e01f")), strict: true));

        Assert.Equal("42e034", producer.Parameters["profile-level-id"]);
    }

    [Fact]
    public void StrictVp9RequiresTheSameProfileId()
    {
        Assert.False(CodecMatcher.Match(Video("video/VP9", ("profile-id", 2L)), Video("video/VP9", ("profile-id", 0L)), strict: true));
        Assert.False(CodecMatcher.Match(Video("video/VP9", ("profile-id", 2L)), Video("video/VP9"), strict: true));
        Assert.True(CodecMatcher.Match(Video("video/VP9", ("profile-id", 0L)), Video("video/VP9"), strict: true));
        Assert.True(CodecMatcher.Match(Video("video/VP9", ("profile-id", 2L)), Video("video/VP9", ("profile-id", 2L)), strict: true));
    }

    [Fact]
    public void NumericAndTextualParameterValuesCompareEqual()
    {
        Assert.True(CodecMatcher.Match(Video("video/VP9", ("profile-id", "2")), Video("video/VP9", ("profile-id", 2L)), strict: true));
        Assert.True(CodecMatcher.Match(H264(("packetization-mode", "1")), H264(("packetization-mode", 1L)), strict: true));
    }

    [Fact]
    public void RouterCapabilitiesMatchDemoClientCodecsStrictly()
    {
        var router = Ortc.GenerateRouterRtpCapabilities(DemoConfig.MediaCodecs()).Codecs;
        var chromeH264 = H264(("profile-level-id", "42e01f"), ("packetization-mode", 1L), ("level-asymmetry-allowed", 1L));

        var matched = router.Where(capability => CodecMatcher.Match(chromeH264, capability, strict: true)).ToList();

        Assert.Equal(107, Assert.Single(matched).PreferredPayloadType);
    }

    private static RtpCodecCapability H264(params (string Name, object Value)[] parameters) => Video("video/H264", parameters);

    private static RtpCodecCapability Video(string mimeType, params (string Name, object Value)[] parameters) =>
        WithParameters(new RtpCodecCapability { Kind = "video", MimeType = mimeType, ClockRate = 90000 }, parameters);

    private static RtpCodecCapability Audio(string mimeType, int clockRate, int channels, params (string Name, object Value)[] parameters) =>
        WithParameters(
            new RtpCodecCapability { Kind = "audio", MimeType = mimeType, ClockRate = clockRate, Channels = channels },
            parameters);

    private static RtpCodecCapability WithParameters(RtpCodecCapability codec, (string Name, object Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            codec.Parameters[name] = value;
        }

        return codec;
    }
}
