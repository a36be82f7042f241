using MediaEngine.Srtp;
using System.Text.Json.Nodes;
using MediaEngine.Dtls;
using MediaEngine.Sctp;
using MediaEngine.Transports;
using Actors.Media;

namespace Actors.Transports;

/// <summary>A WebRTC transport's parameters and events as mediasoup 3.27 writes them.</summary>
public static class TransportJson
{
    /// <summary>A plain transport's SRTP parameters as the broadcaster API gives them.</summary>
    public static JsonObject SrtpParameters(SrtpParameters srtp) =>
        new() { ["cryptoSuite"] = srtp.CryptoSuite, ["keyBase64"] = srtp.KeyBase64 };

    /// <summary>What createWebRtcTransport (and the broadcaster route) answers.</summary>
    public static object WebRtcTransport(WebRtcTransportDescription transport) => new
    {
        id = transport.Id,
        iceParameters = IceParameters(transport.IceParameters),
        iceCandidates = transport.IceCandidates,
        dtlsParameters = new
        {
            role = "auto",
            fingerprints = transport.Fingerprints.Select(f => new { algorithm = f.Algorithm.ToMediasoupName(), value = f.Value }),
        },
        sctpParameters = transport.SctpOptions is { } sctp ? SctpParameters(sctp) : null,
    };

    /// <summary>
    /// mediasoup 3.27's sctpParameters, with this association's real settings: one send buffer serves
    /// all streams (so a stream may queue all of it), and OS/MIS are the negotiated stream counts
    /// (3.27 sends 65535 there for backwards compatibility only).
    /// </summary>
    public static Dictionary<string, object> SctpParameters(SctpAssociationOptions sctp) => new()
    {
        ["port"] = (int)sctp.LocalPort,
        ["OS"] = (int)sctp.OutboundStreams,
        ["MIS"] = (int)sctp.MaxInboundStreams,
        ["maxMessageSize"] = sctp.MaxMessageSize,
        ["maxSendMessageSize"] = sctp.MaxMessageSize,
        ["maxReceiveMessageSize"] = sctp.MaxMessageSize,
        ["sendBufferSize"] = sctp.SendBufferSize,
        ["perStreamSendQueueLimit"] = sctp.SendBufferSize,
        ["maxReceiverWindowBufferSize"] = sctp.ReceiveBufferSize,
        ["isDataChannel"] = true,
    };

    public static object IceParameters(IceParameters ice) =>
        new { usernameFragment = ice.UsernameFragment, password = ice.Password, iceLite = true };

    /// <summary>The name mediasoup's node side gives the event.</summary>
    public static string EventName(TransportEventKind kind) => kind switch
    {
        TransportEventKind.IceStateChange => "icestatechange",
        TransportEventKind.IceSelectedTupleChange => "iceselectedtuplechange",
        TransportEventKind.Tuple => "tuple",
        TransportEventKind.RtcpTuple => "rtcptuple",
        TransportEventKind.Bwe => "trace",
        _ => "dtlsstatechange",
    };
}
