namespace MediaEngine.Transports;

/// <param name="EnableUdp">False with forceTcp.</param>
/// <param name="IceConsentTimeout">ICE goes 'disconnected' after this long without a valid binding request.</param>
/// <param name="SctpStreams">(OS, MIS) to enable SCTP over DTLS for DataChannels; null: no SCTP.</param>
/// <param name="InitialAvailableOutgoingBitrate">Where the outgoing bandwidth estimate starts (mediasoup's initialAvailableOutgoingBitrate).</param>
/// <param name="MaxIncomingBitrate">The most the remote end should send, in bits per second (mediasoup's setMaxIncomingBitrate); 0: no limit.</param>
public sealed record WebRtcTransportOptions(
    bool EnableUdp = true,
    bool EnableTcp = true,
    TimeSpan? IceConsentTimeout = null,
    (int OutboundStreams, int MaxInboundStreams)? SctpStreams = null,
    double SctpLossInjection = 0,
    double RtpLossInjection = 0,
    uint InitialAvailableOutgoingBitrate = Transport.DefaultInitialAvailableOutgoingBitrate,
    uint MaxIncomingBitrate = 0)
{
    public TimeSpan ConsentTimeout => IceConsentTimeout ?? TimeSpan.FromSeconds(30);
}
