using System.Text.Json.Serialization;
using MediaEngine.Dtls;
using MediaEngine.Ice;
using MediaEngine.Net;

namespace MediaEngine.Transports;

/// <summary>getTransportStats' entry for a WebRtcTransport, shaped like mediasoup's, plus our drop counters.</summary>
public sealed record TransportStats : TransportBaseStats
{
    internal TransportStats(WebRtcTransport transport, TransportTuple? selected, string announcedAddress)
        : base("webrtc-transport", transport, transport.SctpState, transport.BandwidthEstimator.AvailableBitrate)
    {
        StunRejected = transport.Counters.StunRejected;
        IceState = transport.IceState.ToMediasoupName();
        IceSelectedTuple = selected?.ToStats(announcedAddress);
        DtlsState = transport.DtlsState.ToMediasoupName();
    }

    public string IceRole => "controlled";

    public string IceState { get; }

    public object? IceSelectedTuple { get; }

    public string DtlsState { get; }

    [JsonPropertyOrder(OwnCounterOrder)] public long StunRejected { get; }
}
