using MediaEngine.Dtls;
using MediaEngine.Ice;
using MediaEngine.Net;

namespace MediaEngine.Transports;

/// <summary>getTransportStats' entry for a WebRtcTransport, shaped like mediasoup's, plus our drop counters.</summary>
public sealed record TransportStats(
    string Type,
    string TransportId,
    long Timestamp,
    long BytesReceived,
    long BytesSent,
    long RtpBytesReceived,
    long RtpBytesSent,
    long RtpPacketsReceived,
    long RtcpPacketsReceived,
    long SrtpErrors,
    long StunRejected,
    long PacketsDropped,
    string IceRole,
    string IceState,
    object? IceSelectedTuple,
    string DtlsState,
    string? SctpState)
{
    /// <summary>The send-side bandwidth estimate, bits per second.</summary>
    public uint AvailableOutgoingBitrate { get; init; }

    internal static TransportStats Of(WebRtcTransport transport, TransportTuple? selected, string announcedAddress)
    {
        var counters = transport.Counters;
        return new TransportStats(
            "webrtc-transport",
            transport.Id,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            counters.BytesReceived,
            counters.BytesSent,
            counters.RtpBytesReceived,
            counters.RtpBytesSent,
            counters.RtpPacketsReceived,
            counters.RtcpPacketsReceived,
            counters.SrtpErrors,
            counters.StunRejected,
            counters.PacketsDropped,
            "controlled",
            transport.IceState.ToMediasoupName(),
            selected?.ToStats(announcedAddress),
            transport.DtlsState.ToMediasoupName(),
            transport.SctpState)
        {
            AvailableOutgoingBitrate = transport.BandwidthEstimator.AvailableBitrate,
        };
    }
}
