namespace MediaEngine.Sctp;

/// <summary>What an association sent, received, dropped and retransmitted.</summary>
public sealed class SctpCounters
{
    public long PacketsSent { get; internal set; }

    public long PacketsReceived { get; internal set; }

    /// <summary>Packets dropped for a bad CRC32c.</summary>
    public long ChecksumErrors { get; internal set; }

    /// <summary>Packets dropped for a verification tag not ours (RFC 9260 §8.5), or INIT with a nonzero one.</summary>
    public long VerificationTagMismatches { get; internal set; }

    /// <summary>Packets with wrong ports, impossible chunk lengths or undecodable chunks, dropped.</summary>
    public long MalformedPackets { get; internal set; }

    /// <summary>Chunks that made no sense in the current state (out of the blue), dropped.</summary>
    public long UnexpectedChunks { get; internal set; }

    /// <summary>COOKIE-ECHOs whose cookie did not carry our MAC, or came back for another association.</summary>
    public long InvalidCookies { get; internal set; }

    /// <summary>COOKIE-ECHOs whose cookie outlived <see cref="SctpAssociationOptions.CookieLifetime"/>.</summary>
    public long StaleCookies { get; internal set; }

    /// <summary>DATA chunks whose TSN had already arrived.</summary>
    public long DuplicateDataChunks { get; internal set; }

    /// <summary>DATA chunks dropped for lack of receive buffer, or too far ahead of the cumulative TSN.</summary>
    public long DroppedDataChunks { get; internal set; }

    public long Retransmissions { get; internal set; }

    public long FastRetransmits { get; internal set; }

    public long RetransmissionTimeouts { get; internal set; }

    /// <summary>Messages given up under partial reliability (max retransmits or lifetime).</summary>
    public long AbandonedMessages { get; internal set; }

    /// <summary>Packets not queued because <see cref="SctpAssociationOptions.MaxQueuedPackets"/> were waiting.</summary>
    public long OutgoingPacketsDropped { get; internal set; }
}
