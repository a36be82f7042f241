using System.Net;

namespace MediaEngine.Transports;

/// <summary>A tuple as mediasoup's stats show it; the remote half is absent until it is known.</summary>
public sealed record PlainTransportTuple(string LocalIp, string LocalAddress, int LocalPort, string? RemoteIp, int? RemotePort, string Protocol)
{
    internal static PlainTransportTuple Of(string announcedAddress, IPEndPoint local, IPEndPoint? remote) =>
        new(announcedAddress, announcedAddress, local.Port, remote?.Address.ToString(), remote?.Port, "udp");
}

/// <summary>getTransportStats' entry for a PlainTransport, shaped like mediasoup's ("plain-rtp-transport"), plus our drop counters.</summary>
public sealed record PlainTransportStats(
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
    long PacketsDropped,
    bool RtcpMux,
    bool Comedia,
    PlainTransportTuple Tuple,
    PlainTransportTuple? RtcpTuple)
{
    internal static PlainTransportStats Of(PlainTransport transport, IPEndPoint local, IPEndPoint? remote, IPEndPoint? rtcpLocal, IPEndPoint? rtcpRemote)
    {
        var counters = transport.Counters;
        return new PlainTransportStats(
            "plain-rtp-transport",
            transport.Id,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            counters.BytesReceived,
            counters.BytesSent,
            counters.RtpBytesReceived,
            counters.RtpBytesSent,
            counters.RtpPacketsReceived,
            counters.RtcpPacketsReceived,
            counters.SrtpErrors,
            counters.PacketsDropped,
            transport.RtcpMux,
            transport.Comedia,
            PlainTransportTuple.Of(transport.Ip, local, remote),
            rtcpLocal is null ? null : PlainTransportTuple.Of(transport.Ip, rtcpLocal, rtcpRemote));
    }
}
