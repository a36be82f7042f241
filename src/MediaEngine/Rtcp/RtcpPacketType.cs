namespace MediaEngine.Rtcp;

/// <summary>The packet type field of the RTCP common header (RFC 3550 §12.1, RFC 4585 §6.1).</summary>
public enum RtcpPacketType : byte
{
    SenderReport = 200,
    ReceiverReport = 201,
    SourceDescription = 202,
    Bye = 203,
    ApplicationDefined = 204,

    /// <summary>Transport-layer feedback (RTPFB), e.g. NACK and transport-wide congestion control.</summary>
    RtpFeedback = 205,

    /// <summary>Payload-specific feedback (PSFB), e.g. PLI, FIR and REMB.</summary>
    PayloadSpecificFeedback = 206,

    ExtendedReport = 207,
}
