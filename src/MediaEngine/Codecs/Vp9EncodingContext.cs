using MediaEngine.RtpStreams;

namespace MediaEngine.Codecs;

/// <summary>
/// Per-consumer VP9 SVC forwarding state, as mediasoup's RTC::Codecs::VP9::EncodingContext with
/// its PayloadDescriptorHandler::Process: forwards the spatial and temporal layers up to the
/// targets, moving up a spatial layer only on a key frame, down at the end of a frame (full SVC)
/// or on a key frame (K-SVC), up a temporal layer only at a switching-up point. The forwarded
/// top spatial layer's last packet of each frame must carry the marker bit. Not thread-safe.
/// </summary>
public sealed class Vp9EncodingContext
{
    private readonly SeqManager<ushort> _pictureIds = new(maxValue: 0x7FFF);
    private bool _syncRequired;

    public Vp9EncodingContext(int spatialLayers, int temporalLayers, bool ksvc)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spatialLayers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(temporalLayers, 1);
        SpatialLayers = spatialLayers;
        TemporalLayers = temporalLayers;
        IsKsvc = ksvc;
        TargetSpatialLayer = spatialLayers - 1;
        TargetTemporalLayer = temporalLayers - 1;
    }

    public int SpatialLayers { get; }

    public int TemporalLayers { get; }

    /// <summary>K-SVC (the "_KEY" modes): upper spatial layers depend on lower ones only in key frames.</summary>
    public bool IsKsvc { get; }

    public int TargetSpatialLayer
    {
        get;
        set => field = Math.Clamp(value, 0, SpatialLayers - 1);
    }

    public int TargetTemporalLayer
    {
        get;
        set => field = Math.Clamp(value, 0, TemporalLayers - 1);
    }

    /// <summary>The spatial layer forwarded; -1 before the first key frame and after <see cref="Reset"/>.</summary>
    public int CurrentSpatialLayer { get; private set; } = -1;

    /// <summary>The temporal layer forwarded; -1 before the first key frame and after <see cref="Reset"/>.</summary>
    public int CurrentTemporalLayer { get; private set; } = -1;

    /// <summary>The stream restarts (resume, new producer stream): forward nothing until the next key frame.</summary>
    public void Reset()
    {
        CurrentSpatialLayer = -1;
        CurrentTemporalLayer = -1;
        _syncRequired = true;
    }

    /// <summary>
    /// Decides whether the packet described by <paramref name="descriptor"/> is forwarded;
    /// <paramref name="marker"/> tells whether it must carry the marker bit (it ends the frame
    /// of the highest spatial layer forwarded). A refused packet must be dropped from the RTP
    /// sequence number mapping too.
    /// </summary>
    public bool Process(in Vp9PayloadDescriptor descriptor, out bool marker)
    {
        marker = false;
        var spatialLayer = descriptor.SpatialLayerIndex;
        var temporalLayer = descriptor.TemporalLayerIndex;
        if (spatialLayer >= SpatialLayers || temporalLayer >= TemporalLayers)
            return false;
        if (_syncRequired && descriptor.HasPictureId)
        {
            _pictureIds.Sync((ushort)((descriptor.PictureId - 1) & 0x7FFF));
            _syncRequired = false;
        }

        var isOldPacket = descriptor.HasPictureId && IsOlderPictureId(descriptor.PictureId, _pictureIds.MaxInput);
        var currentSpatial = CurrentSpatialLayer;
        var currentTemporal = CurrentTemporalLayer;

        if (TargetSpatialLayer > CurrentSpatialLayer)
        {
            if (descriptor.IsKeyFrame)
            {
                currentSpatial = TargetSpatialLayer;
                currentTemporal = 0;
            }
        }
        else if (TargetSpatialLayer < CurrentSpatialLayer)
        {
            var canSwitch = IsKsvc
                ? descriptor.IsKeyFrame
                : spatialLayer == TargetSpatialLayer && descriptor.IsEndOfFrame;
            if (canSwitch)
            {
                currentSpatial = TargetSpatialLayer;
                currentTemporal = 0;
            }
        }

        if (!isOldPacket && (spatialLayer > currentSpatial
            || (IsKsvc && descriptor.IsInterPicturePredicted && spatialLayer != currentSpatial)))
            return false;

        if (!isOldPacket)
        {
            if (TargetTemporalLayer > CurrentTemporalLayer)
            {
                if (temporalLayer >= CurrentTemporalLayer + 1
                    && (CurrentTemporalLayer == -1 || descriptor.IsSwitchingUpPoint)
                    && descriptor.IsStartOfFrame)
                    currentTemporal = temporalLayer;
            }
            else if (TargetTemporalLayer < CurrentTemporalLayer)
            {
                if (temporalLayer == TargetTemporalLayer && descriptor.IsEndOfFrame)
                    currentTemporal = TargetTemporalLayer;
            }

            if (temporalLayer > currentTemporal)
                return false;
        }

        marker = spatialLayer == currentSpatial && descriptor.IsEndOfFrame;
        if (descriptor.HasPictureId)
            _pictureIds.Input(descriptor.PictureId, out _);
        CurrentSpatialLayer = currentSpatial;
        CurrentTemporalLayer = currentTemporal;
        return true;
    }

    private static bool IsOlderPictureId(ushort pictureId, ushort reference)
    {
        var distance = (reference - pictureId) & 0x7FFF;
        return distance != 0 && distance < 0x4000;
    }
}
