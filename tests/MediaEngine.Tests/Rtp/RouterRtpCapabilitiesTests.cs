using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class RouterRtpCapabilitiesTests
{
    [Fact]
    public void DemoConfigYieldsAppendixA()
    {
        var capabilities = Ortc.GenerateRouterRtpCapabilities(DemoConfig.MediaCodecs());

        JsonAssert.Equivalent(DemoConfig.RouterRtpCapabilitiesJson, RtpJson.ToJsonNode(capabilities));
    }

    [Fact]
    public void DemoConfigPayloadTypesFollowThePoolOrder()
    {
        var codecs = Ortc.GenerateRouterRtpCapabilities(DemoConfig.MediaCodecs()).Codecs;

        Assert.Equal(
            ["audio/opus 100", "video/VP8 101", "video/rtx 102", "video/VP9 103", "video/rtx 104",
             "video/H264 105", "video/rtx 106", "video/H264 107", "video/rtx 108"],
            codecs.Select(codec => $"{codec.MimeType} {codec.PreferredPayloadType}"));
        Assert.Equal([101L, 103L, 105L, 107L], codecs.Where(IsRtx).Select(codec => codec.Parameters["apt"]));
    }

    [Fact]
    public void ConfiguredCodecsAreNotModified()
    {
        var mediaCodecs = DemoConfig.MediaCodecs();

        Ortc.GenerateRouterRtpCapabilities(mediaCodecs);

        Assert.Equal("video/h264", mediaCodecs[3].MimeType);
        Assert.Null(mediaCodecs[1].PreferredPayloadType);
        Assert.Empty(mediaCodecs[1].RtcpFeedback);
        Assert.Equal(4, mediaCodecs[3].Parameters.Count);
    }

    [Fact]
    public void KindComesFromTheMimeType()
    {
        var codec = Generate(new RtpCodecCapability { Kind = "", MimeType = "VIDEO/vp8", ClockRate = 90000 })[0];

        Assert.Equal("video", codec.Kind);
        Assert.Equal("video/VP8", codec.MimeType);
    }

    [Fact]
    public void ConfiguredPreferredPayloadTypeIsKeptAndLeavesThePool()
    {
        var codecs = Generate(Opus(preferredPayloadType: 101), Vp8());

        Assert.Equal([101, 100, 102], codecs.Select(codec => codec.PreferredPayloadType));
    }

    [Fact]
    public void ConfiguredPreferredPayloadTypeOutsideThePoolIsKept()
    {
        var codecs = Generate(Vp8(preferredPayloadType: 35), Opus());

        Assert.Equal([35, 100, 101], codecs.Select(codec => codec.PreferredPayloadType));
        Assert.Equal(35L, codecs[1].Parameters["apt"]);
    }

    [Fact]
    public void StaticPayloadTypesDoNotConsumeThePool()
    {
        var codecs = Generate(
            new RtpCodecCapability { MimeType = "audio/PCMU", ClockRate = 8000 },
            new RtpCodecCapability { MimeType = "audio/PCMA", ClockRate = 8000 },
            new RtpCodecCapability { MimeType = "audio/G722", ClockRate = 8000 },
            new RtpCodecCapability { MimeType = "audio/CN", ClockRate = 16000 },
            Opus());

        Assert.Equal([0, 8, 9, 13, 100], codecs.Select(codec => codec.PreferredPayloadType));
        Assert.All(codecs, codec => Assert.Equal(codec.MimeType == "audio/opus" ? 2 : 1, codec.Channels));
    }

    [Fact]
    public void PayloadTypeAlreadyTakenByAnRtxCodecIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Generate(Vp8(), Opus(preferredPayloadType: 101)));

        Assert.StartsWith("duplicated codec.preferredPayloadType 101", error.Message);
    }

    [Fact]
    public void TwoCodecsWithTheSameStaticPayloadTypeAreRejected()
    {
        var pcma = new RtpCodecCapability { MimeType = "audio/PCMA", ClockRate = 8000 };

        var error = Assert.Throws<ArgumentException>(() => Generate(pcma, pcma));

        Assert.StartsWith("duplicated codec.preferredPayloadType 8", error.Message);
    }

    [Theory]
    [InlineData("video/AV1", 90000, null)]
    [InlineData("audio/opus", 48000, 1)]
    [InlineData("audio/opus", 44100, 2)]
    [InlineData("video/VP8", 48000, null)]
    public void UnsupportedCodecIsRejected(string mimeType, int clockRate, int? channels)
    {
        var codec = new RtpCodecCapability { MimeType = mimeType, ClockRate = clockRate, Channels = channels };

        var error = Assert.Throws<NotSupportedException>(() => Generate(codec));

        Assert.Equal($"media codec not supported [mimeType:{mimeType}]", error.Message);
    }

    [Fact]
    public void AudioWithoutChannelsDefaultsToMonoSoOpusMustStateTwo()
    {
        var opusWithoutChannels = new RtpCodecCapability { MimeType = "audio/opus", ClockRate = 48000 };

        Assert.Throws<NotSupportedException>(() => Generate(opusWithoutChannels));
    }

    [Fact]
    public void InvalidMimeTypeIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Generate(new RtpCodecCapability { MimeType = "vp8", ClockRate = 90000 }));

        Assert.Contains("invalid codec.mimeType", error.Message);
    }

    [Fact]
    public void PoolRunsFromOneHundredUpThenNinetySixToNinetyNine()
    {
        var codecs = Generate([.. Enumerable.Range(0, 16).Select(_ => Vp8())]);

        Assert.Equal(
            [.. Enumerable.Range(100, 28), .. Enumerable.Range(96, 4)],
            codecs.Select(codec => codec.PreferredPayloadType!.Value));
    }

    [Fact]
    public void ExhaustedPoolIsAnError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Generate([.. Enumerable.Range(0, 17).Select(_ => Vp8())]));

        Assert.Equal("cannot allocate more dynamic codec payload types", error.Message);
    }

    [Fact]
    public void RtxPayloadTypeCanExhaustThePool()
    {
        var thirtyOneAudioCodecs = Enumerable.Range(0, 31).Select(_ => Opus());

        Assert.Throws<InvalidOperationException>(() => Generate([.. thirtyOneAudioCodecs, Vp8()]));
    }

    [Fact]
    public void ConfiguredParametersOverrideSupportedDefaults()
    {
        var h264 = new RtpCodecCapability
        {
            MimeType = "video/H264",
            ClockRate = 90000,
            Parameters = { ["level-asymmetry-allowed"] = 0L, ["packetization-mode"] = 1L },
        };

        var codec = Generate(h264)[0];

        Assert.Equal(0L, codec.Parameters["level-asymmetry-allowed"]);
        Assert.Equal(1L, codec.Parameters["packetization-mode"]);
    }

    [Fact]
    public void IntegerParameterValuesBecomeLongs()
    {
        var vp8 = new RtpCodecCapability { MimeType = "video/VP8", ClockRate = 90000, Parameters = { ["x-google-start-bitrate"] = 1000 } };

        Assert.IsType<long>(Generate(vp8)[0].Parameters["x-google-start-bitrate"]);
    }

    [Fact]
    public void UnsupportedParameterValueTypeIsRejected()
    {
        var vp8 = new RtpCodecCapability { MimeType = "video/VP8", ClockRate = 90000, Parameters = { ["flag"] = true } };

        Assert.Throws<ArgumentException>(() => Generate(vp8));
    }

    [Fact]
    public void MultiopusMatchesOnStreamCountsAndGetsTheChannelMapping()
    {
        var surround = new RtpCodecCapability
        {
            MimeType = "audio/multiopus",
            ClockRate = 48000,
            Channels = 6,
            Parameters = { ["num_streams"] = 4L, ["coupled_streams"] = 2L },
        };

        var codec = Generate(surround)[0];

        Assert.Equal("0,4,1,2,3,5", codec.Parameters["channel_mapping"]);
        Assert.Equal(["nack", "transport-cc"], codec.RtcpFeedback.Select(feedback => feedback.Type));

        surround.Parameters["num_streams"] = 3L;
        Assert.Throws<NotSupportedException>(() => Generate(surround));
    }

    [Fact]
    public void AudioCodecsGetNoRtx()
    {
        var codecs = Generate(Opus(), new RtpCodecCapability { MimeType = "audio/PCMU", ClockRate = 8000 });

        Assert.DoesNotContain(codecs, IsRtx);
    }

    [Fact]
    public void NoMediaCodecsStillListsAllHeaderExtensions()
    {
        var capabilities = Ortc.GenerateRouterRtpCapabilities([]);

        Assert.Empty(capabilities.Codecs);
        Assert.Equal(17, capabilities.HeaderExtensions.Count);
    }

    private static List<RtpCodecCapability> Generate(params RtpCodecCapability[] mediaCodecs) =>
        Ortc.GenerateRouterRtpCapabilities(mediaCodecs).Codecs;

    private static RtpCodecCapability Opus(int? preferredPayloadType = null) => new()
    {
        MimeType = "audio/opus",
        ClockRate = 48000,
        Channels = 2,
        PreferredPayloadType = preferredPayloadType,
    };

    private static RtpCodecCapability Vp8(int? preferredPayloadType = null) => new()
    {
        MimeType = "video/VP8",
        ClockRate = 90000,
        PreferredPayloadType = preferredPayloadType,
    };

    private static bool IsRtx(RtpCodecCapability codec) => codec.MimeType == "video/rtx";
}
