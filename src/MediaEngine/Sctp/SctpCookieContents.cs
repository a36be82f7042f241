namespace MediaEngine.Sctp;

/// <summary>
/// What a passive endpoint needs to create the association when its cookie comes back: both
/// sides' tags and initial TSNs and the peer's INIT parameters (RFC 9260 §5.1.3).
/// </summary>
internal readonly record struct SctpCookieContents(
    TimeSpan CreatedAt,
    uint LocalTag,
    uint LocalInitialTsn,
    uint PeerTag,
    uint PeerInitialTsn,
    uint PeerReceiveWindow,
    ushort PeerOutboundStreams,
    ushort PeerInboundStreams,
    bool PeerSupportsForwardTsn,
    bool PeerSupportsReConfig);
