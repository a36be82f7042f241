using System.Net;

namespace MediaEngine.Transports;

/// <summary>A tuple as mediasoup's stats show it; the remote half is absent until it is known.</summary>
public sealed record PlainTransportTuple(string LocalIp, string LocalAddress, int LocalPort, string? RemoteIp, int? RemotePort, string Protocol)
{
    internal static PlainTransportTuple Of(string announcedAddress, IPEndPoint local, IPEndPoint? remote) =>
        new(announcedAddress, announcedAddress, local.Port, remote?.Address.ToString(), remote?.Port, "udp");
}

/// <summary>getTransportStats' entry for a PlainTransport, shaped like mediasoup's ("plain-rtp-transport"), plus our drop counters.</summary>
public sealed record PlainTransportStats : TransportBaseStats
{
    internal PlainTransportStats(PlainTransport transport, IPEndPoint local, IPEndPoint? remote, IPEndPoint? rtcpLocal, IPEndPoint? rtcpRemote)
        : base("plain-rtp-transport", transport, sctpState: null, availableOutgoingBitrate: null)
    {
        RtcpMux = transport.RtcpMux;
        Comedia = transport.Comedia;
        Tuple = PlainTransportTuple.Of(transport.Ip, local, remote);
        RtcpTuple = rtcpLocal is null ? null : PlainTransportTuple.Of(transport.Ip, rtcpLocal, rtcpRemote);
    }

    public bool RtcpMux { get; }

    public bool Comedia { get; }

    public PlainTransportTuple Tuple { get; }

    public PlainTransportTuple? RtcpTuple { get; }
}
