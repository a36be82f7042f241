using MediaEngine.Codecs;

namespace MediaEngine.Tests.Codecs;

/// <summary>VP9 SVC layer selection as mediasoup's VP9 PayloadDescriptorHandler::Process.</summary>
public class Vp9EncodingContextTests
{
    /// <summary>A one-packet layer frame in non-flexible mode: 15-bit PictureID, layer indices, TL0PICIDX.</summary>
    private static Vp9PayloadDescriptor Frame(ushort pictureId, int spatial, int temporal, bool interPicture, bool switchingUp = false)
    {
        byte[] payload =
        [
            (byte)(0xA0 | (interPicture ? 0x40 : 0) | 0x08 | 0x04),
            (byte)(0x80 | (pictureId >> 8)), (byte)pictureId,
            (byte)((temporal << 5) | (switchingUp ? 0x10 : 0) | (spatial << 1)),
            0x00, 0xAB,
        ];
        Assert.True(Vp9PayloadDescriptor.TryParse(payload, out var descriptor));
        return descriptor;
    }

    /// <summary>Feeds superframes (S0..S2 of each picture) with temporal pattern 0 2 1 2; returns (spatial, temporal, marker) forwarded.</summary>
    private static List<(int Spatial, int Temporal, bool Marker)> Feed(Vp9EncodingContext context, ushort firstPicture, int pictures, bool keyFirst)
    {
        int[] pattern = [0, 2, 1, 2];
        var forwarded = new List<(int, int, bool)>();
        for (var i = 0; i < pictures; i++)
        {
            var picture = (ushort)(firstPicture + i);
            var temporal = pattern[picture % 4];
            for (var spatial = 0; spatial < 3; spatial++)
            {
                var descriptor = Frame(picture, spatial, temporal, interPicture: !(keyFirst && i == 0), switchingUp: temporal > 0);
                if (context.Process(in descriptor, out var marker))
                    forwarded.Add((spatial, temporal, marker));
            }
        }
        return forwarded;
    }

    [Fact]
    public void Nothing_is_forwarded_before_a_key_frame_then_every_layer_up_to_the_targets()
    {
        var context = new Vp9EncodingContext(3, 3, ksvc: false);
        context.Reset();
        Assert.Empty(Feed(context, 0, 4, keyFirst: false));

        var forwarded = Feed(context, 4, 4, keyFirst: true);

        Assert.Equal(12, forwarded.Count);
        Assert.Equal((2, 2), (context.CurrentSpatialLayer, context.CurrentTemporalLayer));
        Assert.All(forwarded, f => Assert.Equal(f.Spatial == 2, f.Marker));
    }

    [Fact]
    public void A_lower_target_forwards_only_those_layers_and_marks_the_end_of_the_top_one()
    {
        var context = new Vp9EncodingContext(3, 3, ksvc: false) { TargetSpatialLayer = 0, TargetTemporalLayer = 0 };
        context.Reset();

        var forwarded = Feed(context, 100, 8, keyFirst: true);

        Assert.Equal([(0, 0, true), (0, 0, true)], forwarded);
        Assert.Equal((0, 0), (context.CurrentSpatialLayer, context.CurrentTemporalLayer));
    }

    [Fact]
    public void Moving_up_a_spatial_layer_waits_for_a_key_frame_and_down_in_full_svc_does_not()
    {
        var context = new Vp9EncodingContext(3, 3, ksvc: false) { TargetSpatialLayer = 0 };
        context.Reset();
        Feed(context, 0, 4, keyFirst: true);

        context.TargetSpatialLayer = 2;
        Assert.All(Feed(context, 4, 4, keyFirst: false), f => Assert.Equal(0, f.Spatial));
        Assert.Contains(Feed(context, 8, 4, keyFirst: true), f => f.Spatial == 2);

        context.TargetSpatialLayer = 1;
        var down = Feed(context, 12, 4, keyFirst: false);
        Assert.Equal(1, context.CurrentSpatialLayer);
        Assert.DoesNotContain(down.Skip(2), f => f.Spatial == 2);
    }

    [Fact]
    public void In_k_svc_moving_down_waits_for_a_key_frame_and_only_the_current_spatial_layer_of_delta_frames_is_forwarded()
    {
        var context = new Vp9EncodingContext(3, 3, ksvc: true);
        context.Reset();
        Feed(context, 0, 1, keyFirst: true);

        context.TargetSpatialLayer = 0;
        var delta = Feed(context, 1, 3, keyFirst: false);
        Assert.Equal(2, context.CurrentSpatialLayer);
        Assert.All(delta, f => Assert.Equal(2, f.Spatial));

        Feed(context, 4, 1, keyFirst: true); // key frames are in temporal layer 0
        Assert.Equal(0, context.CurrentSpatialLayer);
    }

    [Fact]
    public void Layers_beyond_the_announced_ones_are_dropped()
    {
        var context = new Vp9EncodingContext(2, 2, ksvc: false);
        context.Reset();
        var key = Frame(0, 0, 0, interPicture: false);
        Assert.True(context.Process(in key, out _));
        var tooHigh = Frame(0, 2, 0, interPicture: false);
        Assert.False(context.Process(in tooHigh, out _));
    }
}
