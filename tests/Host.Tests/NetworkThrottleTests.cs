using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaEngine.Dtls;
using WebRtcLoad;
using Xunit.Abstractions;

namespace Host.Tests;

/// <summary>
/// applyNetworkThrottle on a real server: a peer with a real WebRTC transport (ICE, DTLS) consumes a
/// broadcaster's 100 packets/s video, and the throttle it asks for shapes what it receives (bitrate,
/// loss) and both directions of its path (the ICE round trip), until it is reset.
/// </summary>
public sealed class NetworkThrottleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Secret = "open sesame";

    private TestServer _server = null!;
    private readonly HttpClient _http = new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
    private readonly ReceiverLoop _receivers = new();
    private ProtooPeer _holder = null!;
    private ProtooPeer _peer = null!;
    private ClientTransport _transport = null!;
    private Generator _generator = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(extraConfig: $"server.network-throttle-secret = \"{Secret}\"");
        var options = new LoadOptions(_server.HttpsUri, Consumers: 1, Concurrency: 1, Seconds: 0, ServerPid: null);
        _holder = await ProtooPeer.ConnectAsync(options.Server, options.RoomId, "holder");
        var capabilities = (await _holder.RequestAsync("getRouterRtpCapabilities"))!;
        _generator = await LoadRun.StartBroadcastAsync(_http, options);
        (_peer, _transport) = await LoadRun.JoinAndConnectAsync(options, capabilities, new DtlsHandshakePool(), _receivers, 0);
        var receiving = Stopwatch.StartNew();
        while (_transport.RtpPacketsReceived == 0 && receiving.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);
    }

    public async Task DisposeAsync()
    {
        await _transport.DisposeAsync();
        await _peer.DisposeAsync();
        await _holder.DisposeAsync();
        _generator.Dispose();
        _receivers.Dispose();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_throttle_limits_the_peers_bitrate_adds_delay_both_ways_and_loses_packets_until_reset()
    {
        var open = await PacketsPerSecondAsync();
        var openRoundTrip = await _transport.MeasureRoundTripAsync();

        // 1,000-byte packets at 100/s are about 850 kbit/s; 200 kbit/s lets about 24 of them through.
        await ThrottleAsync(new JsonObject { ["downlink"] = 200 });
        var limited = await PacketsPerSecondAsync();

        await ThrottleAsync(new JsonObject { ["rtt"] = 300 });
        var delayedRoundTrip = await _transport.MeasureRoundTripAsync();
        var delayed = await PacketsPerSecondAsync();

        await ThrottleAsync(new JsonObject { ["packetLoss"] = 50 });
        var lossy = await PacketsPerSecondAsync();

        await _peer.RequestAsync("resetNetworkThrottle", new JsonObject { ["secret"] = Secret });
        var reset = await PacketsPerSecondAsync();
        var resetRoundTrip = await _transport.MeasureRoundTripAsync();

        output.WriteLine($"packets/s: open {open:F0}, 200 kbit/s {limited:F0}, rtt 300 ms {delayed:F0}, 50 % loss {lossy:F0}, reset {reset:F0}");
        output.WriteLine($"ICE round trip: open {openRoundTrip.TotalMilliseconds:F0} ms, rtt 300 {delayedRoundTrip.TotalMilliseconds:F0} ms, reset {resetRoundTrip.TotalMilliseconds:F0} ms");
        // Rates over two seconds on a busy machine: the generator catches up after a stall in a burst.
        Assert.InRange(open, 70, 130);
        Assert.InRange(limited, 12, 35);
        Assert.InRange(delayed, 70, 130);
        Assert.InRange(lossy, 25, 75);
        Assert.InRange(reset, 70, 130);
        Assert.True(openRoundTrip < TimeSpan.FromMilliseconds(250), $"{openRoundTrip}");
        Assert.InRange(delayedRoundTrip, TimeSpan.FromMilliseconds(295), TimeSpan.FromMilliseconds(1000));
        Assert.True(resetRoundTrip < TimeSpan.FromMilliseconds(250), $"{resetRoundTrip}");
    }

    [Fact]
    public async Task A_wrong_secret_or_an_out_of_range_value_changes_nothing()
    {
        var wrongSecret = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _peer.RequestAsync("applyNetworkThrottle", new JsonObject { ["secret"] = "guess", ["downlink"] = 10 }));
        var outOfRange = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _peer.RequestAsync("applyNetworkThrottle", new JsonObject { ["secret"] = Secret, ["packetLoss"] = 150 }));

        Assert.StartsWith("403", wrongSecret.Message);
        Assert.StartsWith("500", outOfRange.Message);
        Assert.Contains("packetLoss", outOfRange.Message);
        Assert.InRange(await PacketsPerSecondAsync(), 70, 130);
    }

    private async Task ThrottleAsync(JsonObject parameters)
    {
        parameters["secret"] = Secret;
        await _peer.RequestAsync("applyNetworkThrottle", parameters);
    }

    /// <summary>After half a second for the change to settle, what arrives over two seconds.</summary>
    private async Task<double> PacketsPerSecondAsync()
    {
        await Task.Delay(500);
        var before = _transport.RtpPacketsReceived;
        var clock = Stopwatch.StartNew();
        await Task.Delay(2000);
        return (_transport.RtpPacketsReceived - before) / clock.Elapsed.TotalSeconds;
    }
}
