using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MediaEngine.Transports;
using MediaEngine.Workers;

namespace MediaEngine.Tests.Transports;

/// <summary>A PlainTransport's stats as JSON (camelCase, nulls left out, as the signaling writes them): mediasoup's fields in mediasoup's order.</summary>
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
                "type", "transportId", "timestamp", "bytesReceived", "bytesSent", "rtpBytesReceived", "rtpBytesSent", "rtpPacketsReceived",
                "rtcpPacketsReceived", "srtpErrors", "packetsDropped", "rtcpMux", "comedia", "tuple", "rtcpTuple",
            ],
            json.Select(p => p.Key));
        Assert.Equal("plain-rtp-transport", json["type"]!.GetValue<string>());
        Assert.Equal(transport.Id, json["transportId"]!.GetValue<string>());
        Assert.Equal(["localIp", "localAddress", "localPort", "remoteIp", "remotePort", "protocol"], json["rtcpTuple"]!.AsObject().Select(p => p.Key));
        Assert.Equal(43199, json["rtcpTuple"]!["remotePort"]!.GetValue<int>());
    }
}
