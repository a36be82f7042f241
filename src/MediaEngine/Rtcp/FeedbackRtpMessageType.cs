namespace MediaEngine.Rtcp;

/// <summary>The FMT values of transport-layer feedback packets the media engine handles.</summary>
public enum FeedbackRtpMessageType : byte
{
    /// <summary>Generic NACK (RFC 4585 §6.2.1).</summary>
    Nack = 1,

    /// <summary>Transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01).</summary>
    TransportWideCc = 15,
}
