namespace MediaEngine.Sctp;

/// <summary>mediasoup's sctpState of a transport.</summary>
public enum SctpState
{
    New,
    Connecting,
    Connected,

    /// <summary>The association ended before the handshake completed.</summary>
    Failed,
    Closed,
}
