namespace MediaEngine.Sctp;

public enum SctpEventKind
{
    /// <summary>The handshake completed; messages flow.</summary>
    Connected,

    /// <summary>Ended gracefully (SHUTDOWN exchange) or by <see cref="SctpAssociation.Abort"/>.</summary>
    Closed,

    /// <summary>Ended by the peer's ABORT, too many retransmissions or a protocol violation; <see cref="SctpEvent.Reason"/> says which.</summary>
    Aborted,

    /// <summary>A whole message: <see cref="SctpEvent.StreamId"/>, <see cref="SctpEvent.Ppid"/>, <see cref="SctpEvent.Payload"/>.</summary>
    MessageReceived,

    /// <summary>The peer reset its outgoing <see cref="SctpEvent.StreamId"/>: the channel is closing (RFC 8831 §6.7).</summary>
    IncomingStreamReset,

    /// <summary>Our reset of <see cref="SctpEvent.StreamId"/> was performed by the peer; its SSN starts again at 0.</summary>
    OutgoingStreamReset,

    /// <summary>The peer refused our reset of <see cref="SctpEvent.StreamId"/>; <see cref="SctpEvent.Reason"/> holds its answer.</summary>
    OutgoingStreamResetFailed,

    /// <summary><see cref="SctpAssociation.BufferedAmount"/> fell to the low threshold.</summary>
    BufferedAmountLow,
}
