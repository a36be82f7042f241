namespace MediaEngine.Rtp;

/// <summary>The retransmission stream that accompanies an encoding.</summary>
public sealed record RtpRtxParameters(uint Ssrc);
