using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>getTransportStats on the wire: mediasoup 3.27's field names in its order, then our own counters.</summary>
public sealed class TransportStatsJsonTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private ProtooTestClient _peer = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _peer = await ProtooTestClient.ConnectAsync(_server, "stats-" + Guid.NewGuid().ToString("N")[..6], "alice");
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_webrtc_transport_with_a_selected_tuple_and_sctp_lists_every_field_in_order()
    {
        var transport = (await _peer.RequestOkAsync("createWebRtcTransport", new JsonObject
        {
            ["producing"] = true,
            ["sctpCapabilities"] = new JsonObject { ["numStreams"] = new JsonObject { ["OS"] = 1024, ["MIS"] = 1024 } },
        }))!;
        var ice = transport["iceParameters"]!;
        var port = transport["iceCandidates"]!.AsArray().Single(c => c!["protocol"]!.GetValue<string>() == "udp")!["port"]!.GetValue<int>();
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await socket.SendAsync(IceConnectivityTests.BindingRequest(ice["usernameFragment"]!.GetValue<string>(), ice["password"]!.GetValue<string>()),
            new IPEndPoint(IPAddress.Loopback, port));
        await socket.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var stats = (await _peer.RequestOkAsync("getTransportStats", new JsonObject { ["transportId"] = transport["id"]!.GetValue<string>() }))!.AsArray();
        var entry = Assert.Single(stats)!.AsObject();
        Assert.Equal(
            [
                "transportId", "timestamp", "sctpState", "bytesReceived", "recvBitrate", "bytesSent", "sendBitrate", "rtpBytesReceived",
                "rtpRecvBitrate", "rtpBytesSent", "rtpSendBitrate", "rtxBytesReceived", "rtxRecvBitrate", "rtxBytesSent", "rtxSendBitrate",
                "probationBytesSent", "probationSendBitrate", "availableOutgoingBitrate", "maxIncomingBitrate", "type", "iceRole", "iceState", "iceSelectedTuple",
                "dtlsState", "rtpPacketsReceived", "rtcpPacketsReceived", "srtpErrors", "stunRejected", "packetsDropped",
            ],
            entry.Select(p => p.Key));
        Assert.Equal(["localIp", "localAddress", "localPort", "remoteIp", "remotePort", "protocol"], entry["iceSelectedTuple"]!.AsObject().Select(p => p.Key));
        Assert.Equal(((IPEndPoint)socket.Client.LocalEndPoint!).Port, entry["iceSelectedTuple"]!["remotePort"]!.GetValue<int>());
        Assert.Equal(1_500_000, entry["maxIncomingBitrate"]!.GetValue<int>());
    }
}
