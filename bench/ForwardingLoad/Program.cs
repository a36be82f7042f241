using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ForwardingLoad;
using MediaEngine.Consumers;
using MediaEngine.Rtp;
using MediaEngine.Transports;
using MediaEngine.Workers;

// One producer's video forwarded to N consumers through the whole path of the media engine, in process,
// over real loopback sockets: SRTP unprotect, rewrite, SRTP protect, socket send.
//   dotnet run -c Release --project bench/ForwardingLoad -- [consumers=10] [rates=1000,4000,12000,30000] [seconds=8]
// rates: the producer's packets per second, one measurement each.
var consumerCount = Argument(0, 10);
var rates = args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : [1000, 4000, 12000, 30000];
var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 8;

var settings = new MediaEngineSettings(1, IPAddress.Loopback, "127.0.0.1", WebRtcServerPort: 0, LoopbackPeersOnly: true);
using var mediaWorker = new MediaWorker(0, settings);
var worker = mediaWorker.Worker;
var router = mediaWorker.CreateRouter(_ => { });
var routerCapabilities = Ortc.GenerateRouterRtpCapabilities(
[
    new RtpCodecCapability { Kind = "audio", MimeType = "audio/opus", ClockRate = 48000, Channels = 2 },
    new RtpCodecCapability { Kind = "video", MimeType = "video/VP8", ClockRate = 90000 },
]);

var sendTransport = await router.CreateWebRtcTransportAsync(new WebRtcTransportOptions(EnableTcp: false), _ => { });
using var sender = new BenchClient(sendTransport);
await sender.ConnectAsync();

var producerParameters = RtpParametersParser.Parse(JsonDocument.Parse($$"""
    {
      "mid": "0",
      "codecs": [
        {"mimeType":"video/VP8","payloadType":{{Generator.PayloadType}},"clockRate":90000,"parameters":{},
         "rtcpFeedback":[{"type":"nack","parameter":""},{"type":"nack","parameter":"pli"},{"type":"ccm","parameter":"fir"},
                         {"type":"goog-remb","parameter":""},{"type":"transport-cc","parameter":""}]},
        {"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":{{Generator.PayloadType}}},"rtcpFeedback":[]}
      ],
      "headerExtensions": [
        {"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":{{Generator.MidExtensionId}},"encrypt":false},
        {"uri":"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01","id":{{Generator.TransportWideCcExtensionId}},"encrypt":false}
      ],
      "encodings": [{"ssrc":{{Generator.Ssrc}},"rtx":{"ssrc":{{Generator.Ssrc + 1}} } }],
      "rtcp": {"cname":"forwarding-load","reducedSize":true}
    }
    """).RootElement);
var mapping = Ortc.GetProducerRtpParametersMapping(producerParameters, routerCapabilities);
var consumable = Ortc.GetConsumableRtpParameters("video", producerParameters, routerCapabilities, mapping);
var producer = await router.CreateProducerAsync(sendTransport.Id, "video", Ortc.GetProducerType(producerParameters), producerParameters, mapping, consumable, paused: false);

var receivers = new List<BenchClient>();
var consumers = new List<Consumer>();
for (var i = 0; i < consumerCount; i++)
{
    var transport = await router.CreateWebRtcTransportAsync(new WebRtcTransportOptions(EnableTcp: false), _ => { });
    var client = new BenchClient(transport);
    await client.ConnectAsync();
    receivers.Add(client);
    var parameters = Ortc.GetConsumerRtpParameters(producer.ConsumableRtpParameters, routerCapabilities, enableRtx: true);
    parameters.Mid = "0";
    var consumer = await router.CreateConsumerAsync(transport.Id, producer.Id, parameters, paused: true);
    await router.SetConsumerPausedAsync(consumer.Id, false);
    consumers.Add(consumer);
}

// Browsers refresh ICE consent every few seconds; without it transports disconnect after 30 s.
using var consent = new Timer(_ =>
{
    foreach (var client in receivers.Append(sender))
        client.Socket.Send(client.BindingRequest());
}, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

var workerTid = await worker.InvokeAsync(Native.gettid);
var generator = new Generator(sender.Socket, sender.SendSession!);
using var reader = new Receivers(receivers.Select(r => r.Socket).ToList(), generator);
generator.Rate = rates[0];
generator.Start();

Console.WriteLine($"ForwardingLoad: 1 producer (VP8, {Generator.PacketLength}-byte RTP packets) → {consumerCount} consumers, SRTP {sender.CryptoSuite}, " +
                  $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {seconds} s per rate, load average {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(" ")[..3])}");
// Tiered compilation settles before the first measurement.
await Task.Delay(TimeSpan.FromSeconds(5));
Console.WriteLine();
Console.WriteLine("| offered pkt/s in | forwarded pkt/s | worker CPU % | worker waiting for a CPU % | µs CPU/fwd (user+sys) | fwd pkt/s per core | B alloc/fwd | GCs | latency p50 / p99 / max (µs) | received | dropped by server socket |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

foreach (var rate in rates)
{
    generator.Rate = rate;
    await Task.Delay(TimeSpan.FromSeconds(Math.Min(2, seconds / 2)));
    var dropsBefore = ServerSocketDrops();
    var before = await Sample();
    var producerSentBefore = generator.PacketsSent;
    var wall = Stopwatch.StartNew();
    var gcBefore = GC.CollectionCount(0);
    reader.StartRecording();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    var after = await Sample();
    var serverDrops = ServerSocketDrops() - dropsBefore;
    var elapsed = wall.Elapsed.TotalSeconds;
    var (received, unmatched, p50, p99, max) = reader.StopRecording();
    var gcs = GC.CollectionCount(0) - gcBefore;
    var offered = (generator.PacketsSent - producerSentBefore) / elapsed;
    var forwarded = after.Forwarded - before.Forwarded;
    var cpuNs = after.CpuNs - before.CpuNs;
    var (userTicks, sysTicks) = (after.UserTicks - before.UserTicks, after.SysTicks - before.SysTicks);
    var perPacketUs = cpuNs / 1000.0 / forwarded;
    var sysShare = userTicks + sysTicks == 0 ? 0 : (double)sysTicks / (userTicks + sysTicks);
    var allocated = after.Allocated - before.Allocated;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {offered:N0} | {forwarded / elapsed:N0} | {cpuNs / 1e9 / elapsed * 100:N0} | {(after.RunQueueNs - before.RunQueueNs) / 1e9 / elapsed * 100:N0} | {perPacketUs:N2} ({perPacketUs * (1 - sysShare):N2}+{perPacketUs * sysShare:N2}) | " +
        $"{forwarded / (cpuNs / 1e9):N0} | {(double)allocated / forwarded:N3} ({allocated:N0} B) | {gcs} | {p50:N0} / {p99:N0} / {max:N0} | " +
        $"{received:N0} of {forwarded:N0}{(unmatched > 0 ? $", {unmatched} unmatched" : "")} | {serverDrops:N0} |"));
}

generator.Stop();
Console.WriteLine();
Console.WriteLine($"load average {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(" ")[..3])}; worker handler errors: {worker.HandlerErrors}; sender transport SRTP errors: {sendTransport.Counters.SrtpErrors}, dropped: {sendTransport.Counters.PacketsDropped}; process CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:N1} s");
foreach (var client in receivers)
    client.Dispose();
return;

async Task<WorkerSample> Sample()
{
    var sample = await worker.InvokeAsync(() =>
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Native.ThreadCpuNanoseconds();
        long forwarded = 0;
        foreach (var consumer in consumers)
            forwarded += consumer.PacketsSent;
        return new WorkerSample(allocated, cpu, forwarded, 0, 0);
    });
    var fields = File.ReadAllText($"/proc/self/task/{workerTid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var schedstat = File.ReadAllText($"/proc/self/task/{workerTid}/schedstat").Split(' ');
    return sample with { UserTicks = long.Parse(fields[11]), SysTicks = long.Parse(fields[12]), RunQueueNs = long.Parse(schedstat[1]) };
}

// Datagrams the kernel dropped at the server's UDP socket (receive queue full): the worker fell behind.
long ServerSocketDrops()
{
    var port = sendTransport.IceCandidates.Single(c => c.Protocol == "udp").Port.ToString("X4");
    foreach (var line in File.ReadLines("/proc/net/udp").Skip(1))
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields[1].EndsWith(":" + port, StringComparison.Ordinal))
            return long.Parse(fields[^1]);
    }
    return 0;
}

int Argument(int index, int fallback) => args.Length > index ? int.Parse(args[index]) : fallback;

/// <param name="RunQueueNs">Time the worker thread was ready to run but waited for a CPU (schedstat).</param>
internal readonly record struct WorkerSample(long Allocated, long CpuNs, long Forwarded, long UserTicks, long SysTicks, long RunQueueNs = 0);
