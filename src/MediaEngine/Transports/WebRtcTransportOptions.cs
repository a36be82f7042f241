namespace MediaEngine.Transports;

/// <param name="EnableUdp">False with forceTcp.</param>
/// <param name="IceConsentTimeout">ICE goes 'disconnected' after this long without a valid binding request.</param>
public sealed record WebRtcTransportOptions(
    bool EnableUdp = true,
    bool EnableTcp = true,
    TimeSpan? IceConsentTimeout = null)
{
    public TimeSpan ConsentTimeout => IceConsentTimeout ?? TimeSpan.FromSeconds(30);
}
