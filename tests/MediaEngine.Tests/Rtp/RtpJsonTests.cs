using System.Text.Json;
using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class RtpJsonTests
{
    [Fact]
    public void CodecSerializesWithCamelCaseNamesAndWithoutNulls()
    {
        var codec = new RtpCodecCapability
        {
            Kind = "video",
            MimeType = "video/VP8",
            ClockRate = 90000,
            Parameters = { ["x-google-start-bitrate"] = 1000L, ["Mixed-Case"] = "kept" },
            RtcpFeedback = [new RtcpFeedback("nack", "pli")],
        };

        JsonAssert.Equivalent(
            """
            {"kind":"video","mimeType":"video/VP8","clockRate":90000,
             "parameters":{"x-google-start-bitrate":1000,"Mixed-Case":"kept"},
             "rtcpFeedback":[{"type":"nack","parameter":"pli"}]}
            """,
            RtpJson.ToJsonNode(codec));
    }

    [Fact]
    public void HeaderExtensionSerializesAllFields()
    {
        var extension = new RtpHeaderExtensionCapability { Kind = "audio", Uri = "u", PreferredId = 3 };

        JsonAssert.Equivalent(
            """{"kind":"audio","uri":"u","preferredId":3,"preferredEncrypt":false,"direction":"sendrecv"}""",
            RtpJson.ToJsonNode(extension));
    }

    [Fact]
    public void DeserializedParametersAreStringsLongsAndDoubles()
    {
        var codec = JsonSerializer.Deserialize<RtpCodecCapability>(
            """{"kind":"video","mimeType":"video/H264","clockRate":90000,"parameters":{"a":"42e01f","b":1,"c":1.5},"rtcpFeedback":[{"type":"nack"}]}""",
            RtpJson.Options)!;

        Assert.Equal("42e01f", codec.Parameters["a"]);
        Assert.Equal(1L, codec.Parameters["b"]);
        Assert.Equal(1.5, codec.Parameters["c"]);
        Assert.Equal(new RtcpFeedback("nack", ""), Assert.Single(codec.RtcpFeedback));
    }

    [Fact]
    public void DeserializingANonScalarParameterFails() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RtpCodecCapability>(
            """{"mimeType":"video/VP8","clockRate":90000,"parameters":{"a":[1]}}""",
            RtpJson.Options));

    [Fact]
    public void OptionsCannotBeChangedByCallers() =>
        Assert.Throws<InvalidOperationException>(() => RtpJson.Options.WriteIndented = true);

    [Fact]
    public void CloneIsDeep()
    {
        var original = new RtpCodecCapability
        {
            MimeType = "video/H264",
            Parameters = { ["profile-level-id"] = "42e01f" },
            RtcpFeedback = [new RtcpFeedback("nack")],
        };

        var clone = original.Clone();
        clone.Parameters["profile-level-id"] = "640032";
        clone.RtcpFeedback.Add(new RtcpFeedback("ccm", "fir"));

        Assert.Equal("42e01f", original.Parameters["profile-level-id"]);
        Assert.Single(original.RtcpFeedback);
        Assert.Equal("video/H264", clone.MimeType);
    }
}
