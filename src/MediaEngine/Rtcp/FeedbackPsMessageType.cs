namespace MediaEngine.Rtcp;

/// <summary>The FMT values of payload-specific feedback packets the media engine handles.</summary>
public enum FeedbackPsMessageType : byte
{
    /// <summary>Picture Loss Indication (RFC 4585 §6.3.1).</summary>
    Pli = 1,

    /// <summary>Full Intra Request (RFC 5104 §4.3.1).</summary>
    Fir = 4,

    /// <summary>Application-layer feedback (RFC 4585 §6.4), the carrier of REMB.</summary>
    ApplicationLayer = 15,
}
