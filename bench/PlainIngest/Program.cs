// Plain RTP ingest forwarded to N consumer peers, CPU per consumer: ffmpeg streams a VP8 test pattern
// and an Opus tone over plain RTP into a comedia PlainTransport (as scripts/ffmpeg-broadcaster.sh does);
// each consumer peer is a transport with an audio and a video consumer that rewrites, SRTP-protects and
// sends every packet to a loopback sink, what a browser's receive transport costs the worker once ICE and
// DTLS are done. The media worker thread's CPU time is read from /proc for each N, and what it
// allocated (timers and RTCP included) from GC.GetAllocatedBytesForCurrentThread on that thread.
// Usage: dotnet run -c Release --project bench/PlainIngest -- [consumers=0,25,50,100,200] [seconds=10]
//        [size=640x360] [fps=30] [bitrate=1000k] [suite=AEAD_AES_128_GCM|none]
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MediaEngine.Rtp;
using MediaEngine.Srtp;
using MediaEngine.Transports;
using MediaEngine.Workers;

var counts = (args.Length > 0 ? args[0] : "0,25,50,100,200").Split(',').Select(int.Parse).ToArray();
var seconds = args.Length > 1 ? int.Parse(args[1]) : 10;
var size = args.Length > 2 ? args[2] : "640x360";
var fps = args.Length > 3 ? int.Parse(args[3]) : 30;
var bitrate = args.Length > 4 ? args[4] : "1000k";
var suite = args.Length > 5 ? args[5] : "AEAD_AES_128_GCM";
SrtpProfile? profile = suite == "none" ? null : SrtpProfile.TryParseMediasoupName(suite, out var parsed) ? parsed : throw new ArgumentException($"unknown suite {suite}");

var settings = new MediaEngineSettings(1, IPAddress.Loopback, "127.0.0.1", UseWebRtcServer: false, MinPort: 42000, MaxPort: 42999);
using var worker = new MediaWorker(0, settings);
var router = worker.CreateRouter(_ => { });
var capabilities = Ortc.GenerateRouterRtpCapabilities(
[
    new RtpCodecCapability { Kind = "audio", MimeType = "audio/opus", ClockRate = 48000, Channels = 2 },
    new RtpCodecCapability { Kind = "video", MimeType = "video/VP8", ClockRate = 90000 },
]);

// Ingest: the broadcaster's two comedia transports and producers (ffmpeg.sh's parameters).
var ingest = new Dictionary<string, (PlainTransport Transport, string ProducerId, RtpParameters Consumable)>();
foreach (var (kind, json) in new[]
{
    ("audio", """{"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2,"parameters":{"sprop-stereo":1}}],"encodings":[{"ssrc":1111}]}"""),
    ("video", """{"codecs":[{"mimeType":"video/vp8","payloadType":101,"clockRate":90000}],"encodings":[{"ssrc":2222}]}"""),
})
{
    var transport = await router.CreatePlainTransportAsync(new PlainTransportOptions(RtcpMux: false, Comedia: true), _ => { });
    var parameters = RtpParametersParser.Parse(JsonDocument.Parse(json).RootElement);
    var mapping = Ortc.GetProducerRtpParametersMapping(parameters, capabilities);
    var consumable = Ortc.GetConsumableRtpParameters(kind, parameters, capabilities, mapping);
    var producer = await router.CreateProducerAsync(transport.Id, kind, Ortc.GetProducerType(parameters), parameters, mapping, consumable, paused: false);
    ingest[kind] = (transport, producer.Id, consumable);
}

// The sink: every consumer transport sends here; a thread counts what arrives.
using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 << 20 };
sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
var sinkPort = ((IPEndPoint)sink.LocalEndPoint!).Port;
long sinkPackets = 0;
var sinkThread = new Thread(() =>
{
    var buffer = new byte[2048];
    try
    {
        while (true)
        {
            sink.Receive(buffer);
            Interlocked.Increment(ref sinkPackets);
        }
    }
    catch (Exception e) when (e is SocketException or ObjectDisposedException)
    {
    }
}) { IsBackground = true };
sinkThread.Start();

var a = ingest["audio"].Transport;
var v = ingest["video"].Transport;
var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
[
    "-hide_banner", "-nostdin", "-loglevel", "error",
    "-re", "-f", "lavfi", "-i", $"testsrc=size={size}:rate={fps}",
    "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-map", "1:a:0", "-map", "0:v:0",
    "-c:a", "libopus", "-b:a", "64k", "-ac", "2", "-ar", "48000",
    "-c:v", "libvpx", "-pix_fmt", "yuv420p", "-b:v", bitrate, "-deadline", "realtime", "-cpu-used", "8", "-g", fps.ToString(),
    "-f", "tee",
    $"[select=a:f=rtp:ssrc=1111:payload_type=100]rtp://127.0.0.1:{a.Port}?rtcpport={a.RtcpPort}&pkt_size=1200|" +
    $"[select=v:f=rtp:ssrc=2222:payload_type=101]rtp://127.0.0.1:{v.Port}?rtcpport={v.RtcpPort}&pkt_size=1200",
]) { UseShellExecute = false })!;

try
{
    var workerTask = WorkerThreadId();
    var ticksPerSecond = ClockTicksPerSecond();
    Console.WriteLine($"ingest: ffmpeg {size}@{fps} VP8 {bitrate} + Opus 64k; consumers: audio + video per peer, SRTP {suite}; {seconds} s per step; {Environment.ProcessorCount} cores");
    Console.WriteLine("| consumer peers | ingest pkt/s | forwarded pkt/s | worker CPU (% of a core) | CPU per consumer peer | µs per forwarded packet | worker B allocated per forwarded packet |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
    await Task.Delay(TimeSpan.FromSeconds(3));
    var created = 0;
    double? baseline = null;
    foreach (var target in counts)
    {
        for (; created < target; created++)
            await AddConsumerPeerAsync(created);
        await Task.Delay(TimeSpan.FromSeconds(5)); // key frames reach the new consumers (ffmpeg sends one a second), their buffers fill
        var ingestBefore = await IngestPacketsAsync();
        var sinkBefore = Interlocked.Read(ref sinkPackets);
        var cpuBefore = ThreadCpuTicks(workerTask);
        var allocatedBefore = await worker.Worker.InvokeAsync(() => GC.GetAllocatedBytesForCurrentThread());
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = (ThreadCpuTicks(workerTask) - cpuBefore) / (double)ticksPerSecond / elapsed;
        var allocated = await worker.Worker.InvokeAsync(() => GC.GetAllocatedBytesForCurrentThread()) - allocatedBefore;
        var ingestRate = (await IngestPacketsAsync() - ingestBefore) / elapsed;
        var forwardedRate = (Interlocked.Read(ref sinkPackets) - sinkBefore) / elapsed;
        baseline ??= target == 0 ? cpu : null;
        var perConsumer = target > 0 && baseline is { } idle ? $"{(cpu - idle) / target * 100:F3} %" : "–";
        var perPacket = forwardedRate > 0 ? $"{cpu / forwardedRate * 1e6:F2}" : "–";
        var allocatedPerPacket = forwardedRate > 0 ? $"{allocated / (forwardedRate * elapsed):F2}" : $"{allocated} B in total";
        Console.WriteLine($"| {target} | {ingestRate:F0} | {forwardedRate:F0} | {cpu * 100:F1} % | {perConsumer} | {perPacket} | {allocatedPerPacket} |");
    }
}
finally
{
    ffmpeg.Kill();
    await ffmpeg.WaitForExitAsync();
    await router.CloseAsync();
    sink.Dispose();
}

async Task AddConsumerPeerAsync(int index)
{
    var transport = await router.CreatePlainTransportAsync(
        new PlainTransportOptions(RtcpMux: true, Comedia: false, EnableSrtp: profile is not null, SrtpProfile: profile ?? SrtpParameters.DefaultProfile), _ => { });
    await transport.ConnectAsync("127.0.0.1", sinkPort, null, profile is { } p ? SrtpParameters.Generate(p) : null);
    var mid = 0;
    foreach (var (_, (_, producerId, consumable)) in ingest)
    {
        var parameters = Ortc.GetConsumerRtpParameters(consumable, capabilities, enableRtx: true);
        parameters.Mid = (mid++).ToString();
        await router.CreateConsumerAsync(transport.Id, producerId, parameters, paused: false);
    }
}

async Task<long> IngestPacketsAsync() =>
    (await a.GetStatsAsync()).RtpPacketsReceived + (await v.GetStatsAsync()).RtpPacketsReceived;

// The media worker's thread: /proc names it after the managed thread ("media-worker-0").
static string WorkerThreadId() =>
    Directory.GetDirectories("/proc/self/task")
        .First(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == "media-worker-0");

// utime + stime of the thread, in clock ticks (fields 14 and 15 of stat, after the parenthesised name).
static long ThreadCpuTicks(string task)
{
    var stat = File.ReadAllText(Path.Combine(task, "stat"));
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11]) + long.Parse(fields[12]);
}

static long ClockTicksPerSecond()
{
    using var getconf = Process.Start(new ProcessStartInfo("getconf", ["CLK_TCK"]) { RedirectStandardOutput = true })!;
    return long.Parse(getconf.StandardOutput.ReadToEnd().Trim());
}
