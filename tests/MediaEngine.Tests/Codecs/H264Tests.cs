using MediaEngine.Codecs;

namespace MediaEngine.Tests.Codecs;

public class H264Tests
{
    [Theory]
    [InlineData(new byte[] { 0x65, 0x88, 0x84, 0x00 }, true)]
    [InlineData(new byte[] { 0x67, 0x42, 0xC0, 0x1F }, true)]
    [InlineData(new byte[] { 0x41, 0x9A, 0x02, 0x0C }, false)]
    [InlineData(new byte[] { 0x68, 0xCE, 0x3C, 0x80 }, false)]
    [InlineData(new byte[] { 0x06, 0x05, 0x10 }, false)]
    [InlineData(new byte[] { 0x65 }, false)]
    [InlineData(new byte[] { }, false)]
    public void SingleNalUnit_IsAKeyFrameWhenIdrOrSps(byte[] payload, bool isKeyFrame)
    {
        Assert.Equal(isKeyFrame, H264.IsKeyFrame(payload));
    }

    [Theory]
    [InlineData(new byte[] { 0x78, 0x00, 0x04, 0x67, 0x42, 0xC0, 0x1F, 0x00, 0x04, 0x68, 0xCE, 0x3C, 0x80 }, true)]
    [InlineData(new byte[] { 0x78, 0x00, 0x04, 0x68, 0xCE, 0x3C, 0x80, 0x00, 0x02, 0x65, 0x88 }, true)]
    [InlineData(new byte[] { 0x78, 0x00, 0x02, 0x09, 0xF0, 0x00, 0x02, 0x41, 0x9A }, false)]
    [InlineData(new byte[] { 0x78, 0x00, 0x0A, 0x65, 0x88 }, false)]
    [InlineData(new byte[] { 0x78, 0x00, 0x00, 0x00, 0x02, 0x65, 0x88 }, false)]
    [InlineData(new byte[] { 0x78, 0x00, 0x02 }, false)]
    public void StapA_IsAKeyFrameWhenItAggregatesIdrOrSps(byte[] payload, bool isKeyFrame)
    {
        Assert.Equal(isKeyFrame, H264.IsKeyFrame(payload));
    }

    [Theory]
    [InlineData(new byte[] { 0x7C, 0x85, 0x88, 0x84 }, true)]
    [InlineData(new byte[] { 0x7C, 0x05, 0x9E, 0x11 }, false)]
    [InlineData(new byte[] { 0x7C, 0x45, 0x21, 0x07 }, false)]
    [InlineData(new byte[] { 0x5C, 0x81, 0x9A, 0x02 }, false)]
    [InlineData(new byte[] { 0x7D, 0x85, 0x00, 0x01, 0x88 }, true)]
    public void FragmentationUnit_IsAKeyFrameOnlyAtTheStartOfAnIdrSlice(byte[] payload, bool isKeyFrame)
    {
        Assert.Equal(isKeyFrame, H264.IsKeyFrame(payload));
    }
}
