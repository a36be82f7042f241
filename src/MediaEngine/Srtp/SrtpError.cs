namespace MediaEngine.Srtp;

/// <summary>Why an SRTP or SRTCP operation refused a packet.</summary>
public enum SrtpError
{
    None,

    /// <summary>The packet is shorter than its header, or than its header plus the SRTP trailer.</summary>
    PacketTooShort,

    /// <summary>The packet is not RTP/RTCP version 2, or its header claims more bytes than the packet holds.</summary>
    InvalidHeader,

    /// <summary>The buffer cannot hold the stated length, or lacks room past the packet for the SRTP trailer.</summary>
    BufferTooSmall,

    AuthenticationFailed,

    /// <summary>A packet with this index was already accepted.</summary>
    Replayed,

    /// <summary>The index lies behind the replay window, so whether it is a replay can no longer be told.</summary>
    TooOld,
}
