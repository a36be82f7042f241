namespace MediaEngine.Rtp;

/// <summary>An RTCP feedback mechanism a codec supports, e.g. ("nack", "pli").</summary>
public sealed record RtcpFeedback(string Type, string Parameter = "");
