using MediaEngine.Srtp;

namespace MediaEngine.Transports;

/// <param name="RtcpMux">RTP and RTCP on one port; off: a second port for RTCP.</param>
/// <param name="Comedia">Learn the remote address from the first packet instead of waiting for connect.</param>
/// <param name="EnableSrtp">SRTP with keys exchanged as srtpParameters (create answers ours, connect gives the remote's).</param>
/// <param name="SrtpProfile">Our crypto suite until connect names the remote's.</param>
/// <param name="Port">A fixed local port (a transport restored after a restart), else a free one of the range.</param>
/// <param name="RtcpPort">A fixed local RTCP port without rtcpMux (restored), else a free one of the range.</param>
/// <param name="SrtpParameters">Our SRTP keys (restored), else fresh ones of <paramref name="SrtpProfile"/>.</param>
/// <param name="LoopbackPeersOnly">Tests: learn (comedia) and accept (connect) only loopback remotes, as WebRTC transports answer ICE only from loopback.</param>
public sealed record PlainTransportOptions(
    bool RtcpMux = false,
    bool Comedia = true,
    bool EnableSrtp = false,
    SrtpProfile SrtpProfile = SrtpParameters.DefaultProfile,
    double RtpLossInjection = 0,
    bool LoopbackPeersOnly = false,
    int? Port = null,
    int? RtcpPort = null,
    SrtpParameters? SrtpParameters = null);
