namespace MediaEngine.Rtp;

/// <summary>
/// One RTP stream of a producer or consumer. Immutable (derive changed copies with <c>with</c>);
/// unset fields are null and absent from JSON.
/// </summary>
public sealed record RtpEncodingParameters
{
    public uint? Ssrc { get; init; }

    /// <summary>RTP stream id, which identifies simulcast streams when their SSRCs are not signalled.</summary>
    public string? Rid { get; init; }

    public int? CodecPayloadType { get; init; }

    public RtpRtxParameters? Rtx { get; init; }

    /// <summary>Discontinuous transmission; parsed encodings carry false when not given.</summary>
    public bool? Dtx { get; init; }

    /// <summary>E.g. "L1T3" or "L3T3_KEY"; see <see cref="Rtp.ScalabilityMode"/>.</summary>
    public string? ScalabilityMode { get; init; }

    public double? ScaleResolutionDownBy { get; init; }

    /// <summary>In bits per second.</summary>
    public uint? MaxBitrate { get; init; }

    public double? MaxFramerate { get; init; }

    public bool? AdaptivePtime { get; init; }

    /// <summary>"very-low", "low", "medium" or "high".</summary>
    public string? Priority { get; init; }

    /// <summary>"very-low", "low", "medium" or "high".</summary>
    public string? NetworkPriority { get; init; }

    public bool? Active { get; init; }
}
