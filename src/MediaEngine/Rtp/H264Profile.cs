namespace MediaEngine.Rtp;

/// <summary>H.264 profiles distinguishable from an SDP profile-level-id (RFC 6184 §8.1).</summary>
public enum H264Profile
{
    ConstrainedBaseline,
    Baseline,
    Main,
    ConstrainedHigh,
    High,
    PredictiveHigh444,
}
