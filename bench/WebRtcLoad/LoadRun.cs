using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MediaEngine.Dtls;

namespace WebRtcLoad;

/// <param name="Server">The server's https/wss root.</param>
/// <param name="Consumers">Receiving peers, each with one WebRTC transport consuming the generator's video.</param>
/// <param name="Concurrency">Peers joining and connecting at the same time.</param>
/// <param name="Seconds">The measured window, once every peer receives.</param>
/// <param name="ServerPid">The server's process, for CPU, memory and threads (/proc); optional.</param>
/// <param name="PacketRate">The generator's RTP packets per second.</param>
public sealed record LoadOptions(Uri Server, int Consumers, int Concurrency, double Seconds, int? ServerPid, int PacketRate = 100)
{
    public string RoomId { get; init; } = "load-" + Guid.NewGuid().ToString("N")[..8];
}

/// <param name="Peers">Peers asked for (consumers of the broadcast, or meeting peers).</param>
/// <param name="ServerRssPerTransportBytes">The server's RSS growth over the connected transports.</param>
public sealed record LoadReport(
    int Peers,
    int Connected,
    double ConnectSeconds,
    double JoinsPerSecond,
    double ConnectedP50,
    double ConnectedMax,
    double FirstRtpP50,
    double FirstRtpMax,
    double ForwardedPacketsPerSecond,
    double LossPercent,
    double? ServerCpuMicrosecondsPerPacket,
    long? ServerRssBeforeBytes,
    long? ServerRssConnectedBytes,
    double? ServerRssPerTransportBytes,
    int? ServerThreadsBefore,
    int? ServerThreadsMaxWhileConnecting,
    int? ServerThreadsConnected);

/// <summary>
/// One run: a broadcaster's plain-RTP video, then <see cref="LoadOptions.Consumers"/> peers that join
/// over protoo as mediasoup-client does (getRouterRtpCapabilities, createWebRtcTransport, join,
/// accepting newConsumer, connectWebRtcTransport) and connect their transport (ICE, DTLS); then a
/// measured window of forwarding.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadReport> RunAsync(LoadOptions options, TextWriter log)
    {
        var handshakes = new DtlsHandshakePool();
        using var receivers = new ReceiverLoop();
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        var before = ServerSample.Read(options.ServerPid);
        await using var holder = await ProtooPeer.ConnectAsync(options.Server, options.RoomId, "holder");
        var capabilities = (await holder.RequestAsync("getRouterRtpCapabilities"))!;
        using var generator = await StartBroadcastAsync(http, options);
        log.WriteLine($"broadcast started; {options.Consumers} consumers, {options.Concurrency} at a time");
        return await MeasureAsync(
            new Scenario(options.Consumers, options.Concurrency, options.Seconds, options.ServerPid, before,
                async index =>
                {
                    var (peer, transport) = await JoinAndConnectAsync(options, capabilities, handshakes, receivers, index);
                    return new JoinedPeer(peer, [transport], transport);
                },
                () => generator.PacketsSent,
                connectedPeers => connectedPeers),
            log);
    }

    /// <summary>
    /// What a run varies: how many peers join (<paramref name="Peers"/>, <paramref name="Concurrency"/> at a
    /// time, each by <paramref name="Join"/>), what the senders have sent so far, and how many copies of each
    /// sent packet the consumers should get once that many peers are connected.
    /// </summary>
    internal sealed record Scenario(int Peers, int Concurrency, double Seconds, int? ServerPid, ServerSample? Before,
        Func<int, Task<JoinedPeer>> Join, Func<long> PacketsSent, Func<int, int> CopiesPerPacket)
    {
        /// <summary>Runs once measured, before the peers' transports are closed (stops what sends on them).</summary>
        public Action BeforeTeardown { get; init; } = () => { };
    }

    /// <summary>A peer once joined and connected: its transports, and the one it receives on.</summary>
    internal sealed record JoinedPeer(ProtooPeer Peer, IReadOnlyList<ClientTransport> Transports, ClientTransport Receiving);

    private static readonly TimeSpan DeliveryAllowance = TimeSpan.FromMilliseconds(500);

    /// <summary>Joins the peers while sampling the server's threads, waits for media everywhere, then measures a window.</summary>
    internal static async Task<LoadReport> MeasureAsync(Scenario scenario, TextWriter log)
    {
        var peers = new List<JoinedPeer>();
        var peersGate = new Lock();
        var maxThreads = scenario.Before?.Threads ?? 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                if (ServerSample.Read(scenario.ServerPid) is { } sample)
                    maxThreads = Math.Max(maxThreads, sample.Threads);
                await Task.Delay(100).ContinueWith(_ => { });
            }
        });
        var connecting = Stopwatch.StartNew();
        var failures = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, scenario.Peers), new ParallelOptions { MaxDegreeOfParallelism = scenario.Concurrency }, async (index, _) =>
        {
            try
            {
                var joined = await scenario.Join(index);
                lock (peersGate)
                    peers.Add(joined);
            }
            catch (Exception e)
            {
                if (Interlocked.Increment(ref failures) <= 5)
                    log.WriteLine($"peer {index}: {e.GetType().Name}: {e.Message}");
            }
        });
        var connectSeconds = connecting.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        log.WriteLine($"{peers.Count} connected in {connectSeconds:F2} s");

        var receiving = Stopwatch.StartNew();
        while (peers.Any(p => p.Receiving.FirstRtpAfter is null) && receiving.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(100);
        await Task.Delay(1000);
        // What is sent from one mark to the next arrives from a moment after the first to the same
        // moment after the second: the received counts are read that long after each mark.
        var connected = ServerSample.Read(scenario.ServerPid);
        var sentBefore = scenario.PacketsSent();
        await Task.Delay(DeliveryAllowance);
        var receivedBefore = peers.Sum(p => p.Receiving.RtpPacketsReceived);
        var window = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(scenario.Seconds));
        var end = ServerSample.Read(scenario.ServerPid);
        var sentAfter = scenario.PacketsSent();
        await Task.Delay(DeliveryAllowance);
        var received = peers.Sum(p => p.Receiving.RtpPacketsReceived) - receivedBefore;
        var seconds = window.Elapsed.TotalSeconds;

        // Consumers renumber what they forward, so a packet the server never read does not show as a
        // gap in their sequence numbers: the loss is counted against what the senders sent.
        var expected = (sentAfter - sentBefore) * scenario.CopiesPerPacket(peers.Count);
        var transports = peers.SelectMany(p => p.Transports).ToList();
        var connectedTimes = transports.Select(t => t.ConnectedAfter ?? double.NaN).Order().ToArray();
        var firstRtp = peers.Select(p => p.Receiving.FirstRtpAfter ?? double.PositiveInfinity).Order().ToArray();
        var report = new LoadReport(
            scenario.Peers,
            peers.Count,
            connectSeconds,
            peers.Count / connectSeconds,
            Percentile(connectedTimes, 0.5),
            connectedTimes.LastOrDefault(),
            Percentile(firstRtp, 0.5),
            firstRtp.LastOrDefault(),
            received / seconds,
            expected > 0 ? 100.0 * Math.Max(0, expected - received) / expected : 100,
            connected is not null && end is not null && received > 0 ? (end.Cpu - connected.Cpu).TotalMicroseconds / received : null,
            scenario.Before?.RssBytes,
            connected?.RssBytes,
            scenario.Before is not null && connected is not null && transports.Count > 0 ? (connected.RssBytes - scenario.Before.RssBytes) / (double)transports.Count : null,
            scenario.Before?.Threads,
            scenario.ServerPid is null ? null : maxThreads,
            connected?.Threads);

        scenario.BeforeTeardown();
        await Task.WhenAll(peers.Select(async p =>
        {
            foreach (var transport in p.Transports)
                await transport.DisposeAsync();
            await p.Peer.DisposeAsync();
        }));
        return report;
    }

    private static double Percentile(double[] sorted, double share) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(share * sorted.Length))];

    internal static async Task<(ProtooPeer, ClientTransport)> JoinAndConnectAsync(LoadOptions options, JsonNode capabilities, DtlsHandshakePool handshakes,
        ReceiverLoop receivers, int index)
    {
        var peer = await ProtooPeer.ConnectAsync(options.Server, options.RoomId, $"consumer-{index}");
        ClientTransport? transport = null;
        try
        {
            await peer.RequestAsync("getRouterRtpCapabilities");
            var created = (await peer.RequestAsync("createWebRtcTransport", new JsonObject
            {
                ["forceTcp"] = false,
                ["producing"] = false,
                ["consuming"] = true,
            }))!;
            transport = new ClientTransport(created, handshakes, receivers);
            await peer.RequestAsync("join", new JsonObject
            {
                ["displayName"] = $"consumer {index}",
                ["device"] = new JsonObject { ["flag"] = "webrtc-load", ["name"] = "WebRtcLoad", ["version"] = "1" },
                ["rtpCapabilities"] = capabilities.DeepClone(),
            });
            var id = transport.Id;
            await transport.ConnectAsync(
                () => peer.RequestAsync("connectWebRtcTransport", new JsonObject { ["transportId"] = id, ["dtlsParameters"] = ClientTransport.DtlsParameters }),
                TimeSpan.FromSeconds(30));
            return (peer, transport);
        }
        catch
        {
            if (transport is not null)
                await transport.DisposeAsync();
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>A broadcaster with a comedia plain transport and a VP8 producer, fed by the generator.</summary>
    internal static async Task<Generator> StartBroadcastAsync(HttpClient http, LoadOptions options)
    {
        var root = $"/rooms/{options.RoomId}/broadcasters";
        await PostAsync(http, options.Server, root, """{"id":"generator","displayName":"generator","device":{"name":"WebRtcLoad"}}""");
        var transport = await PostAsync(http, options.Server, $"{root}/generator/transports", """{"type":"plain","comedia":true,"rtcpMux":true}""");
        await PostAsync(http, options.Server, $"{root}/generator/transports/{transport["id"]}/producers", $$"""{"kind":"video","rtpParameters":{{Generator.RtpParameters}}}""");
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(new IPEndPoint(IPAddress.Parse(transport["ip"]!.GetValue<string>()), transport["port"]!.GetValue<int>()));
        return new Generator(socket, options.PacketRate);
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, Uri server, string path, string json)
    {
        using var response = await http.PostAsync(new Uri(server, path), new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!;
    }
}
