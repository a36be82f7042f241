using MediaEngine.Codecs;

namespace MediaEngine.Tests.Codecs;

public class Vp8EncodingContextTests
{
    [Fact]
    public void LayerSwitch_ContinuesPictureIdAndTl0PictureIndex()
    {
        var context = new Vp8EncodingContext(targetTemporalLayer: 0) { CurrentTemporalLayer = 0 };
        Assert.Equal((100, 40), Forward(context, pictureId: 100, tl0PictureIndex: 40, temporalLayer: 0));
        Assert.Equal((101, 41), Forward(context, pictureId: 101, tl0PictureIndex: 41, temporalLayer: 0));

        context.SyncRequired();

        Assert.Equal((102, 42), Forward(context, pictureId: 9000, tl0PictureIndex: 200, temporalLayer: 0));
        Assert.Equal((103, 43), Forward(context, pictureId: 9001, tl0PictureIndex: 201, temporalLayer: 0));
        Assert.Null(Forward(context, pictureId: 101, tl0PictureIndex: 41, temporalLayer: 0));
    }

    [Fact]
    public void SyncAcrossTheWrap_ContinuesFromTheLastOutput()
    {
        var context = new Vp8EncodingContext(targetTemporalLayer: 0) { CurrentTemporalLayer = 0 };
        context.SyncRequired();

        Assert.Equal((1, 1), Forward(context, pictureId: Vp8PayloadDescriptor.MaxPictureId, tl0PictureIndex: 0, temporalLayer: 0));
        Assert.Equal((2, 1), Forward(context, pictureId: 0, tl0PictureIndex: 0, temporalLayer: 0));
        Assert.Null(Forward(context, pictureId: 1, tl0PictureIndex: 0, temporalLayer: 1));
        Assert.Equal((3, 2), Forward(context, pictureId: 2, tl0PictureIndex: 1, temporalLayer: 0));
    }

    [Fact]
    public void FramesAboveTheTargetLayer_AreDroppedWithoutGaps()
    {
        var context = new Vp8EncodingContext(targetTemporalLayer: 0) { CurrentTemporalLayer = 0 };

        Assert.Equal((10, 3), Forward(context, pictureId: 10, tl0PictureIndex: 3, temporalLayer: 0));
        Assert.Null(Forward(context, pictureId: 11, tl0PictureIndex: 3, temporalLayer: 2, layerSync: true));
        Assert.Null(Forward(context, pictureId: 11, tl0PictureIndex: 3, temporalLayer: 2, layerSync: true));
        Assert.Null(Forward(context, pictureId: 12, tl0PictureIndex: 3, temporalLayer: 1, layerSync: true));
        Assert.Equal((11, 4), Forward(context, pictureId: 13, tl0PictureIndex: 4, temporalLayer: 0));
        Assert.Equal(0, context.CurrentTemporalLayer);
    }

    [Fact]
    public void LateBaseLayerFrame_AfterADroppedHigherOne_KeepsItsTl0PictureIndex()
    {
        var context = new Vp8EncodingContext(targetTemporalLayer: 0) { CurrentTemporalLayer = 0 };
        Assert.Equal((0, 0), Forward(context, pictureId: 0, tl0PictureIndex: 0, temporalLayer: 0));

        Assert.Null(Forward(context, pictureId: 2, tl0PictureIndex: 1, temporalLayer: 1));

        Assert.Equal((1, 1), Forward(context, pictureId: 1, tl0PictureIndex: 1, temporalLayer: 0));
    }

    [Fact]
    public void UpgradeToAHigherLayer_WaitsForALayerSyncFrame()
    {
        var context = new Vp8EncodingContext(targetTemporalLayer: 0) { CurrentTemporalLayer = 0 };
        Assert.NotNull(Forward(context, pictureId: 1, tl0PictureIndex: 1, temporalLayer: 0));

        context.TargetTemporalLayer = 1;

        Assert.Null(Forward(context, pictureId: 2, tl0PictureIndex: 1, temporalLayer: 1, layerSync: false));
        Assert.Equal(0, context.CurrentTemporalLayer);
        Assert.Equal((2, 2), Forward(context, pictureId: 3, tl0PictureIndex: 2, temporalLayer: 0));
        Assert.Equal((3, 2), Forward(context, pictureId: 4, tl0PictureIndex: 2, temporalLayer: 1, layerSync: true));
        Assert.Equal(1, context.CurrentTemporalLayer);
        Assert.Equal((4, 2), Forward(context, pictureId: 5, tl0PictureIndex: 2, temporalLayer: 1, layerSync: false));
    }

    [Fact]
    public void Processing_DoesNotAllocate()
    {
        var context = new Vp8EncodingContext(targetTemporalLayer: 1) { CurrentTemporalLayer = 0 };
        byte[] payload = new byte[8];
        ushort pictureId = 0;
        Process(context, payload, ref pictureId);

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 1000; iteration++)
            {
                Process(context, payload, ref pictureId);
            }
        });
    }

    private static void Process(Vp8EncodingContext context, byte[] payload, ref ushort pictureId)
    {
        WriteDescriptor(payload, pictureId, (byte)(pictureId / 3), pictureId % 3, layerSync: pictureId % 5 == 0);
        pictureId = (ushort)((pictureId + 1) & Vp8PayloadDescriptor.MaxPictureId);
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor));
        context.Process(descriptor, payload);
        if (pictureId % 50 == 0)
        {
            context.SyncRequired();
        }
    }

    private static (int PictureId, int Tl0PictureIndex)? Forward(
        Vp8EncodingContext context, int pictureId, int tl0PictureIndex, int temporalLayer, bool layerSync = false)
    {
        byte[] payload = new byte[8];
        WriteDescriptor(payload, (ushort)pictureId, (byte)tl0PictureIndex, temporalLayer, layerSync);
        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor descriptor));
        byte[] original = [.. payload];

        if (!context.Process(descriptor, payload))
        {
            Assert.Equal(original, payload);
            return null;
        }

        Assert.True(Vp8PayloadDescriptor.TryParse(payload, out Vp8PayloadDescriptor rewritten));
        Assert.Equal(original[5..], payload[5..]);
        return (rewritten.PictureId, rewritten.Tl0PictureIndex);
    }

    private static void WriteDescriptor(Span<byte> payload, ushort pictureId, byte tl0PictureIndex, int temporalLayer, bool layerSync)
    {
        Vp8TestDescriptor.Write(payload, pictureId, tl0PictureIndex, temporalLayer, layerSync);
        payload[Vp8TestDescriptor.Length] = 0x31;
        payload[Vp8TestDescriptor.Length + 1] = 0x01;
    }
}
