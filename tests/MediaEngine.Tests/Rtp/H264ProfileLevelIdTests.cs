using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class H264ProfileLevelIdTests
{
    [Theory]
    [InlineData("42e01f", H264Profile.ConstrainedBaseline, H264Level.L3_1)]
    [InlineData("42E01F", H264Profile.ConstrainedBaseline, H264Level.L3_1)]
    [InlineData("4de01f", H264Profile.ConstrainedBaseline, H264Level.L3_1)]
    [InlineData("58c01f", H264Profile.ConstrainedBaseline, H264Level.L3_1)]
    [InlineData("42001f", H264Profile.Baseline, H264Level.L3_1)]
    [InlineData("58801f", H264Profile.Baseline, H264Level.L3_1)]
    [InlineData("4d0032", H264Profile.Main, H264Level.L5)]
    [InlineData("4d401f", H264Profile.Main, H264Level.L3_1)]
    [InlineData("640032", H264Profile.High, H264Level.L5)]
    [InlineData("640c34", H264Profile.ConstrainedHigh, H264Level.L5_2)]
    [InlineData("f4001f", H264Profile.PredictiveHigh444, H264Level.L3_1)]
    [InlineData("42e00a", H264Profile.ConstrainedBaseline, H264Level.L1)]
    [InlineData("42e00b", H264Profile.ConstrainedBaseline, H264Level.L1_1)]
    [InlineData("42f00b", H264Profile.ConstrainedBaseline, H264Level.L1b)]
    [InlineData("42100b", H264Profile.Baseline, H264Level.L1b)]
    [InlineData("4d100b", H264Profile.Main, H264Level.L1b)]
    public void ParsesProfileAndLevel(string text, H264Profile profile, H264Level level) =>
        Assert.Equal(new H264ProfileLevelId(profile, level), H264ProfileLevelId.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("42e01")]
    [InlineData("42e01f0")]
    [InlineData("42e01g")]
    [InlineData("000000")]
    [InlineData("42e000")]
    [InlineData("42e019")]
    [InlineData("65001f")]
    [InlineData("64101f")]
    [InlineData("42e81f")]
    public void RejectsUnknownOrMalformedIds(string text) => Assert.Null(H264ProfileLevelId.Parse(text));

    [Theory]
    [InlineData("42e01f")]
    [InlineData("42001f")]
    [InlineData("4d0032")]
    [InlineData("640c34")]
    [InlineData("640032")]
    [InlineData("f40028")]
    [InlineData("42e00a")]
    [InlineData("42f00b")]
    [InlineData("42100b")]
    [InlineData("4d100b")]
    public void FormatsCanonicalIds(string text) => Assert.Equal(text, H264ProfileLevelId.Parse(text)!.Value.Format());

    [Fact]
    public void FormatCanonicalisesEquivalentSpellings() =>
        Assert.Equal("42e01f", H264ProfileLevelId.Parse("4de01f")!.Value.Format());

    [Fact]
    public void Level1bIsOnlyDefinedForBaselineAndMainProfiles() =>
        Assert.Throws<InvalidOperationException>(() => new H264ProfileLevelId(H264Profile.High, H264Level.L1b).Format());

    [Fact]
    public void MissingParameterMeansTheDefault()
    {
        Assert.Equal(H264ProfileLevelId.Default, H264ProfileLevelId.FromParameters(new Dictionary<string, object>()));
        Assert.Equal("42e01f", H264ProfileLevelId.Default.Format());
    }

    [Fact]
    public void NumericParameterIsReadAsItsDigits() =>
        Assert.Equal(
            new H264ProfileLevelId(H264Profile.High, H264Level.L5),
            H264ProfileLevelId.FromParameters(new Dictionary<string, object> { ["profile-level-id"] = 640032L }));

    [Fact]
    public void InvalidParameterIsNull() =>
        Assert.Null(H264ProfileLevelId.FromParameters(new Dictionary<string, object> { ["profile-level-id"] = "nothex" }));

    [Theory]
    [InlineData("42e01f", "42e034", true, true, "42e01f")]
    [InlineData("42e034", "42e01f", true, true, "42e034")]
    [InlineData("42e034", "42e01f", true, false, "42e01f")]
    [InlineData("42e034", "42e01f", false, true, "42e01f")]
    [InlineData("42e01f", "42e034", false, false, "42e01f")]
    [InlineData("42e00a", "42f00b", false, false, "42e00a")]
    [InlineData("42e00b", "42f00b", false, false, "42f00b")]
    [InlineData("42f00b", "42e00a", false, false, "42e00a")]
    [InlineData("42f00b", "42e00b", false, false, "42f00b")]
    public void AnswerLevel(string local, string remote, bool localAllowsAsymmetry, bool remoteAllowsAsymmetry, string expected)
    {
        Assert.True(H264ProfileLevelId.TryNegotiateAnswer(
            Parameters(local, localAllowsAsymmetry), Parameters(remote, remoteAllowsAsymmetry), out var answer));

        Assert.Equal(expected, answer);
    }

    [Fact]
    public void LevelAsymmetryAllowedMayBeTextual()
    {
        var local = new Dictionary<string, object> { ["profile-level-id"] = "42e034", ["level-asymmetry-allowed"] = "1" };
        var remote = new Dictionary<string, object> { ["profile-level-id"] = "42e01f", ["level-asymmetry-allowed"] = 1L };

        Assert.True(H264ProfileLevelId.TryNegotiateAnswer(local, remote, out var answer));
        Assert.Equal("42e034", answer);
    }

    [Fact]
    public void NoAnswerIdWhenNeitherSideHasOne()
    {
        Assert.True(H264ProfileLevelId.TryNegotiateAnswer(
            new Dictionary<string, object>(), new Dictionary<string, object>(), out var answer));

        Assert.Null(answer);
    }

    [Theory]
    [InlineData("640032", "42e01f")]
    [InlineData("42e01f", "bogus!")]
    [InlineData("bogus!", "42e01f")]
    public void NoAnswerForDifferentProfilesOrInvalidIds(string local, string remote) =>
        Assert.False(H264ProfileLevelId.TryNegotiateAnswer(Parameters(local, true), Parameters(remote, true), out _));

    private static Dictionary<string, object> Parameters(string profileLevelId, bool levelAsymmetryAllowed) => new()
    {
        ["profile-level-id"] = profileLevelId,
        ["level-asymmetry-allowed"] = levelAsymmetryAllowed ? 1L : 0L,
    };
}
