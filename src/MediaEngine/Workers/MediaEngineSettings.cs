using System.Net;
using MediaEngine.Dtls;

namespace MediaEngine.Workers;

/// <param name="NumWorkers">Media threads; each has its WebRtcServer on <see cref="WebRtcServerPort"/> + index.</param>
/// <param name="AnnouncedAddress">Put in ICE candidates and plain-transport answers.</param>
/// <param name="LoopbackPeersOnly">Ignore ICE from anything but loopback addresses (tests: never answer the machine's other addresses).</param>
/// <param name="SctpLossInjection">Fault injection: the share (0–1) of outgoing SCTP packets dropped on purpose, to exercise partial reliability; 0 in production.</param>
/// <param name="RtpLossInjection">Fault injection: the share (0–1) of RTP packets consumers send that are dropped on purpose (retransmissions excepted), to exercise NACK; 0 in production.</param>
/// <param name="RtpReceiveLossInjection">Fault injection: the share (0–1) of incoming RTP packets dropped on arrival, as if lost upstream, to exercise NACK generation toward producers; 0 in production.</param>
/// <param name="DtlsHandshakeThreads">Most threads running DTLS handshakes at once (they end when idle); connected transports hold none.</param>
/// <param name="UseWebRtcServer">One shared UDP+TCP port per worker; off: ports per transport from [MinPort, MaxPort].</param>
public sealed record MediaEngineSettings(
    int NumWorkers,
    IPAddress ListenIp,
    string AnnouncedAddress,
    bool UseWebRtcServer = true,
    int WebRtcServerPort = 44444,
    int MinPort = 40000,
    int MaxPort = 49999,
    TimeSpan? IceConsentTimeout = null,
    bool LoopbackPeersOnly = false,
    double SctpLossInjection = 0,
    double RtpLossInjection = 0,
    double RtpReceiveLossInjection = 0,
    int DtlsHandshakeThreads = DtlsHandshakePool.DefaultMaxThreads);
