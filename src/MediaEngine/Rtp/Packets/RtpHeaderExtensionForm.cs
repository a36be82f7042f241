namespace MediaEngine.Rtp.Packets;

/// <summary>How the header extension block of an RTP packet is laid out (RFC 8285 §4).</summary>
public enum RtpHeaderExtensionForm
{
    /// <summary>The X bit is clear: the packet has no header extension block.</summary>
    None,

    /// <summary>Profile 0xBEDE: ids 1–14, values of 1–16 bytes.</summary>
    OneByte,

    /// <summary>Profile 0x100X: ids 1–255, values of 0–255 bytes.</summary>
    TwoByte,

    /// <summary>A block with a profile RFC 8285 does not define; its elements cannot be read.</summary>
    Unknown,
}
