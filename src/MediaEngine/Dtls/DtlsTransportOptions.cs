namespace MediaEngine.Dtls;

public sealed record DtlsTransportOptions
{
    /// <summary>How long the handshake may take from <see cref="DtlsTransport.Start"/> before the transport fails.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before the first retransmission of an unanswered flight; it doubles on each retry (RFC 6347 §4.2.4.1).</summary>
    public TimeSpan InitialRetransmissionTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest datagram we send; handshake messages are fragmented to fit. mediasoup uses 1350.</summary>
    public int Mtu { get; init; } = 1350;
}
