using MediaEngine.RtpStreams;

namespace MediaEngine.Codecs;

/// <summary>
/// Per-consumer VP8 forwarding state, as mediasoup's RTC::Codecs::VP8::EncodingContext with its
/// PayloadDescriptorHandler::Process: filters temporal layers above the target and rewrites
/// PictureID and TL0PICIDX so they stay continuous when the forwarded stream changes (simulcast
/// layer switch, producer replacement). Not thread-safe.
/// </summary>
public sealed class Vp8EncodingContext
{
    private const int PictureIdHalfRange = (Vp8PayloadDescriptor.MaxPictureId + 1) / 2;

    private readonly SeqManager<ushort> _pictureIds = new(maxValue: Vp8PayloadDescriptor.MaxPictureId);
    private readonly SeqManager<byte> _tl0PictureIndexes = new();
    private bool _syncRequired;

    public Vp8EncodingContext(int targetTemporalLayer)
    {
        TargetTemporalLayer = targetTemporalLayer;
    }

    /// <summary>The highest temporal layer to forward.</summary>
    public int TargetTemporalLayer
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>
    /// The highest temporal layer forwarded so far; -1 before the first packet. A consumer
    /// switching streams on a key frame sets it to that frame's layer.
    /// </summary>
    public int CurrentTemporalLayer
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, -1);
            field = value;
        }
    } = -1;

    /// <summary>Rebases PictureID and TL0PICIDX on the next packet, to be called when the forwarded stream changes.</summary>
    public void SyncRequired() => _syncRequired = true;

    /// <summary>
    /// Decides whether the packet carrying <paramref name="payload"/> (described by
    /// <paramref name="descriptor"/>, parsed from it beforehand) is forwarded, and if so rewrites
    /// its PictureID and TL0PICIDX in place. A packet refused here must be dropped from the RTP
    /// sequence number mapping too.
    /// </summary>
    public bool Process(in Vp8PayloadDescriptor descriptor, Span<byte> payload)
    {
        if (_syncRequired && descriptor.HasPictureId)
        {
            _pictureIds.Sync((ushort)((descriptor.PictureId - 1) & Vp8PayloadDescriptor.MaxPictureId));
            if (descriptor.HasTl0PictureIndex)
            {
                _tl0PictureIndexes.Sync((byte)(descriptor.Tl0PictureIndex - 1));
            }

            _syncRequired = false;
        }

        // Late packets of pictures already decided on are not filtered again.
        if (descriptor.HasPictureId
            && descriptor.HasTemporalLayerIndex
            && !IsOlderPictureId(descriptor.PictureId, _pictureIds.MaxInput)
            && IsTemporalLayerFiltered(descriptor))
        {
            _pictureIds.Drop(descriptor.PictureId);
            if (descriptor.HasTl0PictureIndex && descriptor.TemporalLayerIndex == 0)
            {
                _tl0PictureIndexes.Drop(descriptor.Tl0PictureIndex);
            }

            return false;
        }

        ushort pictureId = 0;
        byte tl0PictureIndex = 0;
        if ((descriptor.HasPictureId && !_pictureIds.Input(descriptor.PictureId, out pictureId))
            || (descriptor.HasTl0PictureIndex && !_tl0PictureIndexes.Input(descriptor.Tl0PictureIndex, out tl0PictureIndex)))
        {
            return false;
        }

        CurrentTemporalLayer = Math.Min(
            descriptor.HasTemporalLayerIndex ? Math.Max(CurrentTemporalLayer, descriptor.TemporalLayerIndex) : 0,
            TargetTemporalLayer);

        if (descriptor.HasPictureId)
        {
            descriptor.RewritePictureId(payload, pictureId);
        }

        if (descriptor.HasTl0PictureIndex)
        {
            descriptor.RewriteTl0PictureIndex(payload, tl0PictureIndex);
        }

        return true;
    }

    // Above the target, or an upgrade past the current layer where the frame is no switching point.
    private bool IsTemporalLayerFiltered(in Vp8PayloadDescriptor descriptor) =>
        descriptor.TemporalLayerIndex > TargetTemporalLayer
        || (descriptor.TemporalLayerIndex > CurrentTemporalLayer && !descriptor.IsLayerSync);

    private static bool IsOlderPictureId(ushort pictureId, ushort reference)
    {
        int distance = (reference - pictureId) & Vp8PayloadDescriptor.MaxPictureId;
        return distance != 0 && distance < PictureIdHalfRange;
    }
}
