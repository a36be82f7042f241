using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MediaEngine.Ice;

namespace Host.Tests;

/// <summary>ICE against the real server sockets, with our STUN code as the browser's side.</summary>
public sealed class IceConnectivityTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private ProtooTestClient _peer = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _peer = await ProtooTestClient.ConnectAsync(_server, "ice-" + Guid.NewGuid().ToString("N")[..6], "alice");
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<JsonNode> CreateTransportAsync(bool forceTcp = false) =>
        (await _peer.RequestOkAsync("createWebRtcTransport", new JsonObject { ["forceTcp"] = forceTcp, ["producing"] = true, ["consuming"] = false }))!;

    private async Task<JsonNode> StatsAsync(string transportId) =>
        (await _peer.RequestOkAsync("getTransportStats", new JsonObject { ["transportId"] = transportId }))![0]!;

    internal static byte[] BindingRequest(string serverUfrag, string password, bool useCandidate = true) =>
        IceBindingRequest.Create(serverUfrag, "browser1", password, useCandidate);

    [Fact]
    public async Task The_transport_answers_like_mediasoup_and_its_ice_completes_over_udp()
    {
        var transport = await CreateTransportAsync();
        var ice = transport["iceParameters"]!;
        Assert.True(ice["iceLite"]!.GetValue<bool>());
        Assert.Equal(32, ice["usernameFragment"]!.GetValue<string>().Length);
        Assert.Equal("auto", transport["dtlsParameters"]!["role"]!.GetValue<string>());
        Assert.Equal(5, transport["dtlsParameters"]!["fingerprints"]!.AsArray().Count);
        var udp = transport["iceCandidates"]!.AsArray().Single(c => c!["protocol"]!.GetValue<string>() == "udp")!;
        Assert.Equal("127.0.0.1", udp["address"]!.GetValue<string>());
        Assert.Equal(udp["address"]!.GetValue<string>(), udp["ip"]!.GetValue<string>());
        Assert.Equal(1076302079u, udp["priority"]!.GetValue<uint>());
        Assert.Equal("host", udp["type"]!.GetValue<string>());

        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new IPEndPoint(IPAddress.Loopback, udp["port"]!.GetValue<int>());
        var password = ice["password"]!.GetValue<string>();

        await socket.SendAsync(RandomNumberGenerator.GetBytes(100), server);
        await socket.SendAsync(BindingRequest(ice["usernameFragment"]!.GetValue<string>(), "wrong password"), server);
        var refused = await socket.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(StunMessageReader.TryParse(refused.Buffer, out var error));
        Assert.Equal(StunMessageClass.ErrorResponse, error.Class);

        await socket.SendAsync(BindingRequest(ice["usernameFragment"]!.GetValue<string>(), password), server);
        var answer = await socket.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(StunMessageReader.TryParse(answer.Buffer, out var response));
        Assert.Equal(StunMessageClass.SuccessResponse, response.Class);
        Assert.True(response.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(password)));
        Assert.True(response.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(((IPEndPoint)socket.Client.LocalEndPoint!).Port, mapped.Port);

        var stats = await StatsAsync(transport["id"]!.GetValue<string>());
        Assert.Equal("webrtc-transport", stats["type"]!.GetValue<string>());
        Assert.Equal("completed", stats["iceState"]!.GetValue<string>());
        Assert.Equal(mapped.Port, stats["iceSelectedTuple"]!["remotePort"]!.GetValue<int>());
        Assert.Equal("new", stats["dtlsState"]!.GetValue<string>());
        Assert.True(stats["stunRejected"]!.GetValue<long>() >= 1);
    }

    [Fact]
    public async Task Dtls_and_media_from_an_address_that_did_not_pass_ice_are_dropped()
    {
        var transport = await CreateTransportAsync();
        var id = transport["id"]!.GetValue<string>();
        await _peer.RequestOkAsync("connectWebRtcTransport", new JsonObject
        {
            ["transportId"] = id,
            ["dtlsParameters"] = new JsonObject
            {
                ["role"] = "server",
                ["fingerprints"] = new JsonArray(new JsonObject { ["algorithm"] = "sha-256", ["value"] = string.Join(':', Enumerable.Repeat("00", 32)) }),
            },
        });
        var port = transport["iceCandidates"]!.AsArray().Single(c => c!["protocol"]!.GetValue<string>() == "udp")!["port"]!.GetValue<int>();
        using var intruder = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var clientHello = new byte[] { 22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        var srtp = new byte[] { 0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4 };
        await intruder.SendAsync(clientHello, new IPEndPoint(IPAddress.Loopback, port));
        await intruder.SendAsync(srtp, new IPEndPoint(IPAddress.Loopback, port));

        var answered = intruder.ReceiveAsync();
        Assert.NotSame(answered, await Task.WhenAny(answered, Task.Delay(500)));
        var stats = await StatsAsync(id);
        Assert.Equal("new", stats["iceState"]!.GetValue<string>());
        Assert.Equal("new", stats["dtlsState"]!.GetValue<string>());
        Assert.Equal(0, stats["bytesReceived"]!.GetValue<long>());
    }

    [Fact]
    public async Task Sctp_parameters_answer_when_sctp_capabilities_are_sent()
    {
        var withSctp = (await _peer.RequestOkAsync("createWebRtcTransport", new JsonObject
        {
            ["producing"] = true,
            ["sctpCapabilities"] = new JsonObject { ["numStreams"] = new JsonObject { ["OS"] = 512, ["MIS"] = 256 } },
        }))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"port":5000,"OS":512,"MIS":256,"maxMessageSize":262144,"maxSendMessageSize":262144,"maxReceiveMessageSize":262144,
             "sendBufferSize":262144,"perStreamSendQueueLimit":262144,"maxReceiverWindowBufferSize":1048576,"isDataChannel":true}
            """), withSctp["sctpParameters"]));
        Assert.Equal("new", (await StatsAsync(withSctp["id"]!.GetValue<string>()))["sctpState"]?.GetValue<string>());

        var withoutSctp = await CreateTransportAsync();
        Assert.Null(withoutSctp["sctpParameters"]);
    }

    [Fact]
    public async Task Force_tcp_offers_only_a_passive_tcp_candidate_that_speaks_rfc4571()
    {
        var transport = await CreateTransportAsync(forceTcp: true);
        var candidate = Assert.Single(transport["iceCandidates"]!.AsArray())!;
        Assert.Equal("tcp", candidate["protocol"]!.GetValue<string>());
        Assert.Equal("passive", candidate["tcpType"]!.GetValue<string>());
        Assert.Equal(1076276479u, candidate["priority"]!.GetValue<uint>());

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, candidate["port"]!.GetValue<int>());
        var stream = client.GetStream();
        var ice = transport["iceParameters"]!;
        var request = BindingRequest(ice["usernameFragment"]!.GetValue<string>(), ice["password"]!.GetValue<string>());
        var framed = new byte[request.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)request.Length);
        request.CopyTo(framed, 2);
        await stream.WriteAsync(framed);

        var header = new byte[2];
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await stream.ReadExactlyAsync(body);
        Assert.True(StunMessageReader.TryParse(body, out var response));
        Assert.Equal(StunMessageClass.SuccessResponse, response.Class);

        var stats = await StatsAsync(transport["id"]!.GetValue<string>());
        Assert.Equal("tcp", stats["iceSelectedTuple"]!["protocol"]!.GetValue<string>());
    }

    [Fact]
    public async Task Restart_ice_returns_new_credentials_and_unknown_transports_are_not_found()
    {
        var transport = await CreateTransportAsync();
        var id = transport["id"]!.GetValue<string>();
        var restarted = (await _peer.RequestOkAsync("restartIce", new JsonObject { ["transportId"] = id }))!;
        Assert.True(restarted["iceLite"]!.GetValue<bool>());
        Assert.NotEqual(transport["iceParameters"]!["usernameFragment"]!.GetValue<string>(), restarted["usernameFragment"]!.GetValue<string>());
        Assert.NotEqual(transport["iceParameters"]!["password"]!.GetValue<string>(), restarted["password"]!.GetValue<string>());
        Assert.Equal(32, restarted["password"]!.GetValue<string>().Length);

        var missing = await _peer.RequestAsync("restartIce", new JsonObject { ["transportId"] = "nope" });
        Assert.Equal("transport with id \"nope\" not found", missing["errorReason"]!.GetValue<string>());
        var connect = await _peer.RequestAsync("connectWebRtcTransport", new JsonObject { ["transportId"] = id });
        Assert.Equal(500, connect["errorCode"]!.GetValue<int>());
    }
}

/// <summary>With the WebRtcServer off, each transport gets its own ports from the configured range.</summary>
public sealed class PerTransportPortsTests : IAsyncLifetime
{
    private const int MinPort = 47_100;
    private const int MaxPort = 47_199;
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(extraConfig: $$"""
        server.mediasoup {
          use-webrtc-server = off
          worker-settings { rtc-min-port = {{MinPort}}, rtc-max-port = {{MaxPort}} }
        }
        """);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Each_transport_listens_on_its_own_port_of_the_range_and_ice_works_there()
    {
        await using var peer = await ProtooTestClient.ConnectAsync(_server, "ports", "alice");
        var first = (await peer.RequestOkAsync("createWebRtcTransport", new JsonObject { ["producing"] = true }))!;
        var second = (await peer.RequestOkAsync("createWebRtcTransport", new JsonObject { ["consuming"] = true }))!;
        int PortOf(JsonNode transport) => transport["iceCandidates"]![0]!["port"]!.GetValue<int>();
        Assert.InRange(PortOf(first), MinPort, MaxPort);
        Assert.InRange(PortOf(second), MinPort, MaxPort);
        Assert.NotEqual(PortOf(first), PortOf(second));

        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var ice = second["iceParameters"]!;
        await socket.SendAsync(IceConnectivityTests.BindingRequest(ice["usernameFragment"]!.GetValue<string>(), ice["password"]!.GetValue<string>()),
            new IPEndPoint(IPAddress.Loopback, PortOf(second)));
        var answer = await socket.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(StunMessageReader.TryParse(answer.Buffer, out var response));
        Assert.Equal(StunMessageClass.SuccessResponse, response.Class);
    }
}
