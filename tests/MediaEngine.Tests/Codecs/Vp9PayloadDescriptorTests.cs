using MediaEngine.Codecs;

namespace MediaEngine.Tests.Codecs;

public class Vp9PayloadDescriptorTests
{
    // Non-flexible mode: I L B V set, 15-bit PictureID 0x0123, TID 0 SID 0, TL0PICIDX 7, then the
    // scalability structure (not read).
    private static readonly byte[] NonFlexibleKeyFrame = [0xAA, 0x81, 0x23, 0x00, 0x07, 0x18, 0x01, 0x40, 0x00, 0xF0];

    // Flexible mode, as libwebrtc's SVC: I P L F B E set, PictureID 5, TID 2 U=1 SID 1 D=1, two
    // reference indices (P_DIFF 1 with N=1, P_DIFF 2).
    private static readonly byte[] FlexibleDeltaFrame = [0xFC, 0x80, 0x05, 0x53, 0x03, 0x04, 0x82, 0x49];

    [Fact]
    public void NonFlexibleKeyFrame_IsParsed()
    {
        Assert.True(Vp9PayloadDescriptor.TryParse(NonFlexibleKeyFrame, out Vp9PayloadDescriptor descriptor));

        Assert.True(descriptor.HasPictureId);
        Assert.True(descriptor.HasTwoBytePictureId);
        Assert.Equal(0x0123, descriptor.PictureId);
        Assert.False(descriptor.IsInterPicturePredicted);
        Assert.True(descriptor.HasLayerIndices);
        Assert.False(descriptor.IsFlexibleMode);
        Assert.True(descriptor.IsStartOfFrame);
        Assert.False(descriptor.IsEndOfFrame);
        Assert.True(descriptor.HasScalabilityStructure);
        Assert.Equal(0, descriptor.TemporalLayerIndex);
        Assert.Equal(0, descriptor.SpatialLayerIndex);
        Assert.True(descriptor.HasTl0PictureIndex);
        Assert.Equal(7, descriptor.Tl0PictureIndex);
        Assert.True(descriptor.IsKeyFrame);
    }

    [Fact]
    public void FlexibleDeltaFrame_IsParsed()
    {
        Assert.True(Vp9PayloadDescriptor.TryParse(FlexibleDeltaFrame, out Vp9PayloadDescriptor descriptor));

        Assert.Equal(5, descriptor.PictureId);
        Assert.True(descriptor.IsInterPicturePredicted);
        Assert.True(descriptor.IsFlexibleMode);
        Assert.True(descriptor.IsEndOfFrame);
        Assert.Equal(2, descriptor.TemporalLayerIndex);
        Assert.True(descriptor.IsSwitchingUpPoint);
        Assert.Equal(1, descriptor.SpatialLayerIndex);
        Assert.True(descriptor.IsInterLayerDependent);
        Assert.False(descriptor.HasTl0PictureIndex);
        Assert.False(descriptor.IsKeyFrame);
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x00 }, true)]
    [InlineData(new byte[] { 0x48, 0x00 }, false)]
    [InlineData(new byte[] { 0x00, 0x00 }, false)]
    [InlineData(new byte[] { 0x28, 0x02, 0x00 }, false)]
    [InlineData(new byte[] { 0x28, 0x00, 0x00 }, true)]
    [InlineData(new byte[] { 0x89, 0x11 }, true)]
    public void KeyFrame_IsTheIntraStartOfSpatialLayerZero(byte[] payload, bool isKeyFrame)
    {
        Assert.True(Vp9PayloadDescriptor.TryParse(payload, out Vp9PayloadDescriptor descriptor));

        Assert.Equal(isKeyFrame, descriptor.IsKeyFrame);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0x80, 0x81 })]
    [InlineData(new byte[] { 0x20, 0x00 })]
    [InlineData(new byte[] { 0x30 })]
    [InlineData(new byte[] { 0x50, 0x03 })]
    [InlineData(new byte[] { 0x50, 0x03, 0x05, 0x07, 0x08 })]
    public void TruncatedDescriptor_IsRejected(byte[] payload)
    {
        Assert.False(Vp9PayloadDescriptor.TryParse(payload, out _));
    }
}
