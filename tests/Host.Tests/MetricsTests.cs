using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>GET /metrics on a real server: both listeners, the WebRtcServer's drop counter, rooms and peers.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private TestServer _server = null!;
    private readonly HttpClient _http = TestServer.CreateHttpClient();
    private readonly string _roomId = "room-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_answer_on_both_listeners_in_the_text_format()
    {
        foreach (var root in new[] { _server.HttpsUri, _server.HttpUri })
        {
            var response = await _http.GetAsync(new Uri(root, "/metrics"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var contentType = response.Content.Headers.ContentType!;
            Assert.Equal("text/plain", contentType.MediaType);
            Assert.Contains(contentType.Parameters, p => p.Name == "version" && p.Value == "0.0.4");

            var metrics = Exposition.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("counter", metrics.Types["sfu_worker_packets_dropped_total"]);
            Assert.Equal("gauge", metrics.Types["sfu_rooms"]);
            Assert.Equal(0, metrics.Value("sfu_worker_rtp_packets_received_total", ("worker", "0")));
            Assert.Equal(0, metrics.Value("sfu_worker_packets_dropped_total", ("worker", "0"), ("reason", "srtp_auth_failure")));
            Assert.True(metrics.Value("sfu_worker_cpu_seconds_total", ("worker", "0")) >= 0);
            Assert.True(metrics.Value("process_threads") > 1);
            Assert.True(metrics.Value("dotnet_gc_allocated_bytes_total") > 0);
            Assert.True(metrics.Value("dotnet_gc_heap_size_bytes") >= 0);
            Assert.True(metrics.Value("dotnet_gc_committed_bytes") > 0);
            // One family per name: the format allows no second HELP/TYPE for a name.
            Assert.All(metrics.Samples.GroupBy(s => s.Name), family => Assert.True(metrics.Types.ContainsKey(family.Key), family.Key));
        }
    }

    [Fact]
    public async Task Garbage_datagrams_to_the_WebRtcServer_raise_the_unknown_source_drop_count_by_that_many()
    {
        await using var peer = (await ProtooTestClient.JoinAsync(_server, _roomId, "alice", "Alice")).Client;
        var transport = (await peer.RequestOkAsync("createWebRtcTransport", new JsonObject { ["forceTcp"] = false, ["producing"] = true, ["consuming"] = false }))!;
        var port = transport["iceCandidates"]!.AsArray().First(c => c!["protocol"]!.GetValue<string>() == "udp")!["port"]!.GetValue<int>();
        var labels = new[] { ("worker", "0"), ("reason", "unknown_source") };
        var before = (await ScrapeAsync()).Value("sfu_worker_packets_dropped_total", labels);

        const int garbage = 30;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var random = new Random(7);
        for (var i = 0; i < garbage; i++)
        {
            var datagram = new byte[20 + i * 7];
            random.NextBytes(datagram);
            if (i % 3 == 0)
                datagram[0] = 0x80; // looks like RTP: still from an address no transport knows
            else if (i % 3 == 1)
                datagram[0] = 0x00; // looks like STUN: no valid USERNAME for any transport
            await udp.SendAsync(datagram, new IPEndPoint(IPAddress.Loopback, port));
        }

        var expected = before + garbage;
        var after = before;
        var deadline = DateTime.UtcNow + Patience;
        while (after < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            after = (await ScrapeAsync()).Value("sfu_worker_packets_dropped_total", labels);
        }
        Assert.Equal(expected, after);
        var metrics = await ScrapeAsync();
        Assert.Equal(expected, metrics.Value("sfu_worker_packets_dropped_total", labels));
        Assert.Equal(1, metrics.Value("sfu_worker_transports", ("worker", "0"), ("type", "webrtc")));
        Assert.Equal(1, metrics.Value("sfu_worker_routers", ("worker", "0")));
    }

    [Fact]
    public async Task Rooms_and_peers_gauges_follow_a_protoo_client()
    {
        var empty = await ScrapeAsync();
        Assert.Equal(0, empty.Value("sfu_rooms"));
        Assert.Equal(0, empty.Value("sfu_peers", ("state", "joined")));

        await using var peer = await ProtooTestClient.ConnectAsync(_server, _roomId, "alice");
        await peer.NotificationAsync("mediasoup-version");
        var connected = await ScrapeAsync();
        Assert.Equal(1, connected.Value("sfu_rooms"));
        Assert.Equal(1, connected.Value("sfu_peers", ("state", "connected")));
        Assert.Equal(0, connected.Value("sfu_peers", ("state", "joined")));

        await peer.RequestOkAsync("join", new JsonObject
        {
            ["displayName"] = "Alice",
            ["device"] = new JsonObject { ["flag"] = "chrome", ["name"] = "Chrome", ["version"] = "156" },
        });
        var joined = await ScrapeAsync();
        Assert.Equal(1, joined.Value("sfu_rooms"));
        Assert.Equal(1, joined.Value("sfu_peers", ("state", "joined")));
        Assert.Equal(0, joined.Value("sfu_peers", ("state", "connected")));
        Assert.Equal(0, joined.Value("sfu_broadcasters"));

        var created = await _http.PostAsync(new Uri(_server.HttpUri, $"/rooms/{_roomId}/broadcasters"),
            new StringContent("""{"id":"bc1","displayName":"B","device":{"name":"FFmpeg"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(1, (await ScrapeAsync()).Value("sfu_broadcasters"));
    }

    private async Task<Exposition> ScrapeAsync()
    {
        var response = await _http.GetAsync(new Uri(_server.HttpUri, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Exposition.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The samples and TYPE lines of a Prometheus text exposition, parsed line by line.</summary>
    private sealed record Exposition(IReadOnlyList<Exposition.Sample> Samples, IReadOnlyDictionary<string, string> Types)
    {
        public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

        /// <summary>The value of the one sample with exactly these labels.</summary>
        public double Value(string name, params (string Name, string Value)[] labels)
        {
            var matches = Samples.Where(s => s.Name == name && s.Labels.Count == labels.Length
                && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
            Assert.True(matches.Count == 1, $"{matches.Count} samples of {name} with labels {string.Join(",", labels)}");
            return matches[0].Value;
        }

        public static Exposition Parse(string text)
        {
            var samples = new List<Sample>();
            var types = new Dictionary<string, string>();
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0)
                    continue;
                if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ');
                    Assert.Equal(4, parts.Length);
                    Assert.True(types.TryAdd(parts[2], parts[3]), $"second TYPE line for {parts[2]}");
                    continue;
                }
                if (line.StartsWith('#'))
                    continue;
                samples.Add(ParseSample(line));
            }
            return new Exposition(samples, types);
        }

        private static Sample ParseSample(string line)
        {
            var labels = new Dictionary<string, string>();
            var nameEnd = line.IndexOfAny(['{', ' ']);
            Assert.True(nameEnd > 0, line);
            var name = line[..nameEnd];
            var at = nameEnd;
            if (line[at] == '{')
            {
                at++;
                while (line[at] != '}')
                {
                    var equals = line.IndexOf('=', at);
                    var labelName = line[at..equals];
                    Assert.Equal('"', line[equals + 1]);
                    var value = new System.Text.StringBuilder();
                    var i = equals + 2;
                    for (; line[i] != '"'; i++)
                    {
                        if (line[i] == '\\')
                        {
                            i++;
                            value.Append(line[i] == 'n' ? '\n' : line[i]);
                        }
                        else
                        {
                            value.Append(line[i]);
                        }
                    }
                    labels.Add(labelName, value.ToString());
                    at = i + 1;
                    if (line[at] == ',')
                        at++;
                }
                at++;
            }
            Assert.Equal(' ', line[at]);
            var valueText = line[(at + 1)..];
            var number = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            return new Sample(name, labels, number);
        }
    }
}
