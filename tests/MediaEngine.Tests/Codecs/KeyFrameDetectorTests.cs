using MediaEngine.Codecs;

namespace MediaEngine.Tests.Codecs;

public class KeyFrameDetectorTests
{
    private static readonly byte[] Vp8KeyFrame = [0x90, 0x80, 0x11, 0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A];
    private static readonly byte[] Vp8DeltaFrame = [0x90, 0x80, 0x12, 0x31, 0x01, 0x00];
    private static readonly byte[] Vp9KeyFrame = [0xAA, 0x81, 0x23, 0x00, 0x07, 0x18];
    private static readonly byte[] H264Idr = [0x65, 0x88, 0x84, 0x00];

    [Theory]
    [InlineData("video/VP8")]
    [InlineData("video/vp8")]
    [InlineData("VIDEO/VP8")]
    public void Vp8_IsDetectedWhateverTheCase(string mimeType)
    {
        Assert.True(KeyFrameDetector.IsKeyFrame(mimeType, Vp8KeyFrame));
        Assert.False(KeyFrameDetector.IsKeyFrame(mimeType, Vp8DeltaFrame));
    }

    [Fact]
    public void EachCodec_IsReadWithItsOwnFormat()
    {
        Assert.True(KeyFrameDetector.IsKeyFrame("video/VP9", Vp9KeyFrame));
        Assert.True(KeyFrameDetector.IsKeyFrame("video/H264", H264Idr));
        Assert.False(KeyFrameDetector.IsKeyFrame("video/VP9", H264Idr));
        Assert.False(KeyFrameDetector.IsKeyFrame("video/H264", Vp9KeyFrame));
    }

    [Theory]
    [InlineData("audio/opus")]
    [InlineData("video/AV1")]
    [InlineData("video/rtx")]
    public void OtherCodecs_NeverHaveKeyFrames(string mimeType)
    {
        Assert.False(KeyFrameDetector.IsKeyFrame(mimeType, H264Idr));
        Assert.False(KeyFrameDetector.IsKeyFrame(mimeType, Vp8KeyFrame));
    }

    [Fact]
    public void Detection_DoesNotAllocate()
    {
        Detect();

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 100; iteration++)
            {
                Detect();
            }
        });
    }

    private static void Detect()
    {
        Assert.True(KeyFrameDetector.IsKeyFrame("video/vp8", Vp8KeyFrame));
        Assert.True(KeyFrameDetector.IsKeyFrame("video/VP9", Vp9KeyFrame));
        Assert.True(KeyFrameDetector.IsKeyFrame("video/h264", H264Idr));
        Assert.False(KeyFrameDetector.IsKeyFrame("audio/opus", H264Idr));
    }
}
