namespace MediaEngine.Rtcp;

/// <summary>
/// Packet status symbols of transport-wide congestion control feedback
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.1). The fourth symbol is reserved.
/// </summary>
public enum FeedbackRtpTransportStatus : byte
{
    NotReceived = 0,

    /// <summary>Received, with a one-byte receive delta of 0–63.75 ms.</summary>
    SmallDelta = 1,

    /// <summary>Received, with a two-byte signed receive delta.</summary>
    LargeDelta = 2,
}
