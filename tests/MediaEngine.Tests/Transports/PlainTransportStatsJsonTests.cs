using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MediaEngine.Rtcp;
using MediaEngine.Rtp;
using MediaEngine.Rtp.Packets;
using MediaEngine.Tests.Rtp;
using MediaEngine.Transports;
using MediaEngine.Workers;

namespace MediaEngine.Tests.Transports;

/// <summary>A PlainTransport's stats as JSON (camelCase, nulls left out, as the signaling writes them): mediasoup 3.27's fields in its order, then ours.</summary>
public sealed class PlainTransportStatsJsonTests : IDisposable
{
    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly MediaWorker _worker = new(0, new MediaEngineSettings(1, IPAddress.Loopback, "127.0.0.1", UseWebRtcServer: false, MinPort: 43000, MaxPort: 43099));
    private readonly Router _router;

    public PlainTransportStatsJsonTests()
    {
        _router = _worker.CreateRouter(_ => { });
    }

    public void Dispose()
    {
        _router.CloseAsync().Wait(TimeSpan.FromSeconds(10));
        _worker.Dispose();
    }

    [Fact]
    public async Task Stats_of_a_connected_transport_without_rtcp_mux_list_every_field_in_order()
    {
        var transport = await _router.CreatePlainTransportAsync(new PlainTransportOptions(RtcpMux: false, Comedia: false), _ => { });
        await transport.ConnectAsync("127.0.0.1", 43198, 43199, null);

        var json = JsonNode.Parse(JsonSerializer.Serialize<object>(await transport.GetStatsAsync(), Wire))!.AsObject();

        Assert.Equal(
            [
                "transportId", "timestamp", "bytesReceived", "recvBitrate", "bytesSent", "sendBitrate", "rtpBytesReceived",
                "rtpRecvBitrate", "rtpBytesSent", "rtpSendBitrate", "rtxBytesReceived", "rtxRecvBitrate", "rtxBytesSent", "rtxSendBitrate",
                "probationBytesSent", "probationSendBitrate", "type", "rtcpMux", "comedia", "tuple", "rtcpTuple",
                "rtpPacketsReceived", "rtcpPacketsReceived", "srtpErrors", "packetsDropped",
            ],
            json.Select(p => p.Key));
        Assert.Equal("plain-rtp-transport", json["type"]!.GetValue<string>());
        Assert.Equal(transport.Id, json["transportId"]!.GetValue<string>());
        Assert.Equal(["localIp", "localAddress", "localPort", "remoteIp", "remotePort", "protocol"], json["rtcpTuple"]!.AsObject().Select(p => p.Key));
        Assert.Equal(43199, json["rtcpTuple"]!["remotePort"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stats_of_a_transport_with_transport_cc_both_ways_add_the_loss_fields_in_order()
    {
        const int WideSequenceExtensionId = 5;
        var transport = await _router.CreatePlainTransportAsync(new PlainTransportOptions(RtcpMux: true, Comedia: true), _ => { });
        var routerCaps = TestRtp.RouterCapabilities();
        var parameters = TestRtp.Parameters($$$"""
            {"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2}],
             "headerExtensions":[{"uri":"{{{RtpHeaderExtensionUris.TransportWideCc}}}","id":{{{WideSequenceExtensionId}}}}],
             "encodings":[{"ssrc":1111}]}
            """);
        var mapping = Ortc.GetProducerRtpParametersMapping(parameters, routerCaps);
        var consumable = Ortc.GetConsumableRtpParameters("audio", parameters, routerCaps, mapping);
        await _router.CreateProducerAsync(transport.Id, "audio", ProducerType.Simple, parameters, mapping, consumable, paused: false);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var destination = new IPEndPoint(IPAddress.Loopback, transport.Port);
        var buffer = new byte[1500];
        foreach (ushort wideSequence in new ushort[] { 1, 2, 4 })
        {
            var writer = new RtpPacketWriter(buffer, 100, false, wideSequence, wideSequence * 960u, 1111);
            writer.AddExtension(WideSequenceExtensionId, [(byte)(wideSequence >> 8), (byte)wideSequence]);
            peer.SendTo(buffer.AsSpan(0, writer.Finish([0xF8, 0xFF, 0xFE])), destination);
        }
        var feedback = new FeedbackRtpTransportPacketBuilder(buffer, 1, 1111, 10, 1_000_000, 0);
        Assert.True(feedback.TryAddReceivedPacket(12, 1_001_000)); // 10 and 11 not received
        peer.SendTo(buffer.AsSpan(0, feedback.Complete()), destination);

        var stats = await PlainTransportTests.WaitForAsync(transport.GetStatsAsync, s => s is { RtpPacketLossReceived: not null, RtpPacketLossSent: not null });
        var json = JsonNode.Parse(JsonSerializer.Serialize<object>(stats, Wire))!.AsObject();

        Assert.Equal(
            [
                "transportId", "timestamp", "bytesReceived", "recvBitrate", "bytesSent", "sendBitrate", "rtpBytesReceived",
                "rtpRecvBitrate", "rtpBytesSent", "rtpSendBitrate", "rtxBytesReceived", "rtxRecvBitrate", "rtxBytesSent", "rtxSendBitrate",
                "probationBytesSent", "probationSendBitrate", "availableIncomingBitrate", "rtpPacketLossReceived", "rtpPacketLossSent",
                "type", "rtcpMux", "comedia", "tuple", "rtpPacketsReceived", "rtcpPacketsReceived", "srtpErrors", "packetsDropped",
            ],
            json.Select(p => p.Key));
        Assert.Equal(0.25, stats.RtpPacketLossReceived!.Value, 6); // 3 missing of 1 to 4
        Assert.Equal(2 / 3.0, stats.RtpPacketLossSent!.Value, 6);
        Assert.Equal(0, stats.AvailableIncomingBitrate);
        Assert.True(stats.RecvBitrate > 0 && stats.RtpRecvBitrate > 0);
    }
}
