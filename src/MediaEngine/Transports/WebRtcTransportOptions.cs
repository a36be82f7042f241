namespace MediaEngine.Transports;

/// <param name="EnableUdp">False with forceTcp.</param>
/// <param name="IceConsentTimeout">ICE goes 'disconnected' after this long without a valid binding request.</param>
/// <param name="SctpStreams">(OS, MIS) to enable SCTP over DTLS for DataChannels; null: no SCTP.</param>
public sealed record WebRtcTransportOptions(
    bool EnableUdp = true,
    bool EnableTcp = true,
    TimeSpan? IceConsentTimeout = null,
    (int OutboundStreams, int MaxInboundStreams)? SctpStreams = null,
    double SctpLossInjection = 0,
    double RtpLossInjection = 0)
{
    public TimeSpan ConsentTimeout => IceConsentTimeout ?? TimeSpan.FromSeconds(30);
}
