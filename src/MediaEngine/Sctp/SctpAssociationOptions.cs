namespace MediaEngine.Sctp;

/// <summary>
/// Settings of one <see cref="SctpAssociation"/>. Ports, stream counts and the message size come
/// from mediasoup's sctpParameters (port 5000 on both sides, OS/MIS 1024, maxMessageSize 262,144).
/// Timer values follow dcsctp, WebRTC's SCTP, rather than RFC 9260's defaults (RTO.Initial 1 s,
/// RTO.Min 1 s) which are tuned for long-haul links: data channels run over a known path.
/// </summary>
public sealed record SctpAssociationOptions
{
    public ushort LocalPort { get; init; } = 5000;

    public ushort RemotePort { get; init; } = 5000;

    /// <summary>OS: outgoing streams requested in INIT/INIT-ACK.</summary>
    public ushort OutboundStreams { get; init; } = 1024;

    /// <summary>MIS: incoming streams accepted.</summary>
    public ushort MaxInboundStreams { get; init; } = 1024;

    /// <summary>Largest message sent or accepted: a peer sending a bigger one is aborted, which bounds reassembly.</summary>
    public int MaxMessageSize { get; init; } = 262_144;

    /// <summary>Largest SCTP packet, which travels as one DTLS record; mediasoup gives usrsctp 1,200.</summary>
    public int MaxPacketSize { get; init; } = 1200;

    /// <summary>
    /// Bytes of received data held: fragments, out-of-order messages and delivered messages not yet
    /// dequeued. Advertised as a_rwnd; must exceed <see cref="MaxMessageSize"/>.
    /// </summary>
    public int ReceiveBufferSize { get; init; } = 1_048_576;

    /// <summary>Bytes of sent data held until acknowledged; mediasoup's sctpSendBufferSize default.</summary>
    public int SendBufferSize { get; init; } = 262_144;

    /// <summary>BufferedAmountLow is raised when <see cref="SctpAssociation.BufferedAmount"/> falls to this or below.</summary>
    public int BufferedAmountLowThreshold { get; init; }

    public TimeSpan InitialRetransmissionTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Above the peer's 200 ms delayed ack, so a delayed SACK never looks like a loss.</summary>
    public TimeSpan MinRetransmissionTimeout { get; init; } = TimeSpan.FromMilliseconds(400);

    public TimeSpan MaxRetransmissionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>T1-init and T1-cookie start here and back off, as in dcsctp.</summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan DelayedAckTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Association.Max.Retrans: consecutive unanswered retransmissions and heartbeats before aborting.</summary>
    public int MaxRetransmissions { get; init; } = 10;

    /// <summary>Max.Init.Retransmits: INIT or COOKIE-ECHO retransmissions before giving up.</summary>
    public int MaxInitRetransmissions { get; init; } = 8;

    /// <summary>Valid.Cookie.Life.</summary>
    public TimeSpan CookieLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Initial congestion window in packets: ten, as dcsctp (and RFC 6928 for TCP), not RFC 9260's ~4 KB.</summary>
    public int InitialCongestionWindowPackets { get; init; } = 10;

    /// <summary>Outgoing packets waiting for <see cref="SctpAssociation.TryDequeueOutgoing"/>; more are dropped and counted.</summary>
    public int MaxQueuedPackets { get; init; } = 1024;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfZero(OutboundStreams);
        ArgumentOutOfRangeException.ThrowIfZero(MaxInboundStreams);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPacketSize, 256);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxMessageSize);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReceiveBufferSize, MaxMessageSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(SendBufferSize, MaxMessageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(BufferedAmountLowThreshold);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinRetransmissionTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialRetransmissionTimeout, MinRetransmissionTimeout);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetransmissionTimeout, InitialRetransmissionTimeout);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InitTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DelayedAckTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetransmissions);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxInitRetransmissions);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CookieLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InitialCongestionWindowPackets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxQueuedPackets);
    }
}
