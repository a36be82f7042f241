using System.Text.Json.Serialization;
using MediaEngine.Dtls;
using MediaEngine.Ice;
using MediaEngine.Net;

namespace MediaEngine.Transports;

/// <summary>getTransportStats' entry for a WebRtcTransport, shaped like mediasoup's, plus our drop counters.</summary>
public sealed record TransportStats : TransportBaseStats
{
    internal TransportStats(WebRtcTransport transport, TransportTuple? selected, string announcedAddress)
        : base("webrtc-transport", transport)
    {
        StunRejected = transport.Counters.StunRejected;
        IceState = transport.IceState.ToMediasoupName();
        IceSelectedTuple = selected?.ToStats(announcedAddress);
        DtlsState = transport.DtlsState.ToMediasoupName();
        SctpState = transport.SctpState;
        AvailableOutgoingBitrate = transport.BandwidthEstimator.AvailableBitrate;
    }

    [JsonPropertyOrder(OwnCounterOrder)] public long StunRejected { get; }

    public string IceRole => "controlled";

    public string IceState { get; }

    public object? IceSelectedTuple { get; }

    public string DtlsState { get; }

    public string? SctpState { get; }

    /// <summary>The send-side bandwidth estimate, bits per second.</summary>
    public uint AvailableOutgoingBitrate { get; }
}
