using MediaEngine.Rtp;

namespace MediaEngine.Tests.Rtp;

public class ScalabilityModeTests
{
    [Theory]
    [InlineData("L1T3", 1, 3, false)]
    [InlineData("L3T3", 3, 3, false)]
    [InlineData("L3T3_KEY", 3, 3, true)]
    [InlineData("L2T2_KEY_SHIFT", 2, 2, true)]
    [InlineData("S3T3", 3, 3, false)]
    [InlineData("L10T12", 10, 12, false)]
    [InlineData("L1T3h", 1, 3, false)]
    public void ParsesLayers(string mode, int spatialLayers, int temporalLayers, bool ksvc) =>
        Assert.Equal(new ScalabilityMode(spatialLayers, temporalLayers, ksvc), ScalabilityMode.Parse(mode));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("foo")]
    [InlineData("L0T1")]
    [InlineData("L1T0")]
    [InlineData("l1t3")]
    [InlineData("X1T3")]
    [InlineData("L100T1")]
    [InlineData(" L1T3")]
    public void UnparsableModesMeanASingleLayer(string? mode) =>
        Assert.Equal(new ScalabilityMode(1, 1, false), ScalabilityMode.Parse(mode));
}
