namespace MediaEngine.Transports;

/// <summary>Per-transport counters, written on the worker thread only.</summary>
public sealed class TransportCounters
{
    public long BytesReceived { get; set; }
    public long BytesSent { get; set; }
    public long RtpPacketsReceived { get; set; }
    public long RtpBytesReceived { get; set; }
    public long RtcpPacketsReceived { get; set; }
    public long RtpBytesSent { get; set; }
    public long RtpPacketsSent { get; set; }

    /// <summary>Of <see cref="RtpBytesReceived"/>: what arrived on the RTX SSRCs of our producers' streams.</summary>
    public long RtxBytesReceived { get; set; }

    /// <summary>Of <see cref="RtpBytesSent"/>: retransmissions answering NACKs (RTX, or the original SSRC without RTX).</summary>
    public long RtxBytesSent { get; set; }

    /// <summary>Packets that failed SRTP/SRTCP authentication or replay checks.</summary>
    public long SrtpErrors { get; set; }

    /// <summary>Of <see cref="SrtpErrors"/>: incoming packets whose SRTP/SRTCP authentication tag did not match.</summary>
    public long SrtpAuthenticationFailures { get; set; }

    /// <summary>Of <see cref="SrtpErrors"/>: incoming packets already received, or too old for the replay window.</summary>
    public long SrtpReplays { get; set; }

    /// <summary>STUN requests answered with an error or ignored (bad integrity, unknown username…).</summary>
    public long StunRejected { get; set; }

    /// <summary>DTLS or media from a tuple ICE did not validate, media before SRTP keys, garbage.</summary>
    public long PacketsDropped { get; set; }

    /// <summary>Of <see cref="PacketsDropped"/>: RTP packets in the clear that did not parse.</summary>
    public long RtpPacketsMalformed { get; set; }

    /// <summary>Of <see cref="PacketsDropped"/>: RTP packets no producer of this transport claims (SSRC, MID).</summary>
    public long RtpPacketsUnknownSsrc { get; set; }

    /// <summary>RTCP datagrams in the clear whose packets stopped parsing before the end (the rest of the datagram is dropped).</summary>
    public long RtcpPacketsMalformed { get; set; }

    /// <summary>NACK items (packet id + bitmask) received from the browser for the consumers of this transport.</summary>
    public long NacksReceived { get; set; }

    /// <summary>PLI/FIR received from the browser for the consumers of this transport.</summary>
    public long KeyFrameRequestsReceived { get; set; }

    /// <summary>Outgoing RTP packets dropped by the rtp-loss-injection fault injection setting.</summary>
    public long RtpPacketsDroppedByInjection { get; set; }

    /// <summary>Incoming RTP packets dropped by the rtp-receive-loss-injection fault injection setting.</summary>
    public long RtpPacketsDroppedByReceiveInjection { get; set; }

    /// <summary>RTCP NACK packets sent to the browser for losses on what its producers send.</summary>
    public long NacksSent { get; set; }

    /// <summary>Outgoing SCTP packets dropped by the sctp-loss-injection fault injection setting.</summary>
    public long SctpPacketsDroppedByInjection { get; set; }

    /// <summary>SCTP on a transport without SCTP, or messages on a stream no data producer owns.</summary>
    public long DataChannelBytesDropped { get; set; }
}
