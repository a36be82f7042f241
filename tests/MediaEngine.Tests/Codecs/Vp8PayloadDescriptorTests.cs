using MediaEngine.Codecs;

namespace MediaEngine.Tests.Codecs;

public class Vp8PayloadDescriptorTests
{
    // RFC 7741 §4.6.1: first packet of a key frame, X=1 S=1 PID=0, I=1, 7-bit PictureID 17, then
    // the VP8 payload header with P=0 and the key frame start code.
    private static readonly byte[] Rfc7741KeyFrameStart = [0x90, 0x80, 0x11, 0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A];

    // Chrome simulcast with temporal layers: I (15-bit PictureID 0x1234), L (TL0PICIDX 5),
    // T (TID 0, Y=1), key frame.
    private static readonly byte[] SimulcastKeyFrame = [0x90, 0xE0, 0x92, 0x34, 0x05, 0x20, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A];

    // Same stream, a TID 2 delta frame without layer sync; P=1 in the VP8 header.
    private static readonly byte[] SimulcastDeltaFrame = [0x90, 0xE0, 0x92, 0x35, 0x05, 0x80, 0x31, 0x01, 0x00];

    [Fact]
    public void Rfc7741KeyFrame_IsParsed()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(Rfc7741KeyFrameStart, out Vp8PayloadDescriptor descriptor));

        Assert.True(descriptor.IsExtended);
        Assert.False(descriptor.IsNonReference);
        Assert.True(descriptor.IsStartOfPartition);
        Assert.Equal(0, descriptor.PartitionIndex);
        Assert.True(descriptor.HasPictureId);
        Assert.False(descriptor.HasTwoBytePictureId);
        Assert.Equal(17, descriptor.PictureId);
        Assert.False(descriptor.HasTl0PictureIndex);
        Assert.False(descriptor.HasTemporalLayerIndex);
        Assert.Equal(0, descriptor.TemporalLayerIndex);
        Assert.False(descriptor.HasKeyIndex);
        Assert.Equal(3, descriptor.Length);
        Assert.True(descriptor.IsKeyFrame);
    }

    [Fact]
    public void SimulcastKeyFrame_IsParsed()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(SimulcastKeyFrame, out Vp8PayloadDescriptor descriptor));

        Assert.True(descriptor.HasTwoBytePictureId);
        Assert.Equal(0x1234, descriptor.PictureId);
        Assert.True(descriptor.HasTl0PictureIndex);
        Assert.Equal(5, descriptor.Tl0PictureIndex);
        Assert.True(descriptor.HasTemporalLayerIndex);
        Assert.Equal(0, descriptor.TemporalLayerIndex);
        Assert.True(descriptor.IsLayerSync);
        Assert.Equal(6, descriptor.Length);
        Assert.True(descriptor.IsKeyFrame);
    }

    [Fact]
    public void DeltaFrame_ReportsItsTemporalLayer()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(SimulcastDeltaFrame, out Vp8PayloadDescriptor descriptor));

        Assert.Equal(0x1235, descriptor.PictureId);
        Assert.Equal(2, descriptor.TemporalLayerIndex);
        Assert.False(descriptor.IsLayerSync);
        Assert.False(descriptor.IsKeyFrame);
    }

    [Fact]
    public void TidAndKeyIndexByte_IsReadPerFlag()
    {
        // T=1 K=1: TID 3, Y=1, KEYIDX 4; not the start of a partition.
        Assert.True(Vp8PayloadDescriptor.TryParse([0x80, 0x30, 0xE4, 0x00], out Vp8PayloadDescriptor both));
        Assert.Equal(3, both.TemporalLayerIndex);
        Assert.True(both.IsLayerSync);
        Assert.Equal(4, both.KeyIndex);
        Assert.False(both.IsKeyFrame);

        // K=1 only: the TID bits are to be ignored.
        Assert.True(Vp8PayloadDescriptor.TryParse([0x90, 0x10, 0xFF, 0x00], out Vp8PayloadDescriptor keyIndexOnly));
        Assert.False(keyIndexOnly.HasTemporalLayerIndex);
        Assert.Equal(0, keyIndexOnly.TemporalLayerIndex);
        Assert.False(keyIndexOnly.IsLayerSync);
        Assert.Equal(31, keyIndexOnly.KeyIndex);
    }

    [Theory]
    [InlineData(new byte[] { 0x10, 0x00 }, true)]
    [InlineData(new byte[] { 0x10, 0x01 }, false)]
    [InlineData(new byte[] { 0x00, 0x00 }, false)]
    [InlineData(new byte[] { 0x11, 0x00 }, false)]
    [InlineData(new byte[] { 0x30, 0x00 }, true)]
    [InlineData(new byte[] { 0x10 }, false)]
    public void KeyFrame_NeedsStartOfPartitionZeroAndAClearPBit(byte[] payload, bool isKeyFrame)
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor));

        Assert.Equal(isKeyFrame, descriptor.IsKeyFrame);
        Assert.Equal(1, descriptor.Length);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x90 })]
    [InlineData(new byte[] { 0x90, 0x80 })]
    [InlineData(new byte[] { 0x90, 0x80, 0x92 })]
    [InlineData(new byte[] { 0x90, 0xC0, 0x11 })]
    [InlineData(new byte[] { 0x90, 0xE0, 0x92, 0x34, 0x05 })]
    public void TruncatedDescriptor_IsRejected(byte[] payload)
    {
        Assert.False(Vp8PayloadDescriptor.TryParse(payload, out _));
    }

    [Fact]
    public void Rewrite_ChangesOnlyPictureIdAndTl0PictureIndex()
    {
        byte[] payload = [.. SimulcastKeyFrame];
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor));

        descriptor.RewritePictureId(payload, 0x7ABC);
        descriptor.RewriteTl0PictureIndex(payload, 0xEE);

        Assert.Equal([0x90, 0xE0, 0xFA, 0xBC, 0xEE, 0x20, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A], payload);
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor reparsed));
        Assert.Equal(0x7ABC, reparsed.PictureId);
        Assert.Equal(0xEE, reparsed.Tl0PictureIndex);
        Assert.Equal(0x1234, descriptor.PictureId);
    }

    [Fact]
    public void Rewrite_KeepsASevenBitPictureIdInOneByte()
    {
        byte[] payload = [0x90, 0xC0, 0x11, 0x09, 0x00];
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor));

        descriptor.RewritePictureId(payload, 0x0185);
        descriptor.RewriteTl0PictureIndex(payload, 0x0A);

        Assert.Equal([0x90, 0xC0, 0x05, 0x0A, 0x00], payload);
    }

    [Fact]
    public void RewriteOfAnAbsentField_Throws()
    {
        byte[] payload = [0x10, 0x00];
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor));

        Assert.Throws<InvalidOperationException>(() => descriptor.RewritePictureId(payload, 1));
        Assert.Throws<InvalidOperationException>(() => descriptor.RewriteTl0PictureIndex(payload, 1));
    }
}
