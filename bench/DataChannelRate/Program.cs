// Browser-to-browser DataChannel message rate through the server: two headless Chromium peers on
// loopback, one ordered reliable channel, N messages of S bytes; prints messages/s and MB/s.
// Usage: dotnet run -c Release --project bench/DataChannelRate -- [messages=20000] [bytes=100]
using System.Diagnostics;
using Microsoft.Playwright;
using SfuHost;

var messages = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var size = args.Length > 1 ? int.Parse(args[1]) : 100;

var dataDir = Path.Combine(Path.GetTempPath(), "sfu-bench", Guid.NewGuid().ToString("N"));
var config = ServerConfig.Load(overrides: $$"""
    server {
      data-dir = "{{dataDir}}"
      https { listen-ip = "127.0.0.1", listen-port = 0 }
      http.enabled = off
      log.level = "Warning"
      mediasoup { num-workers = 1, listen-ip = "127.0.0.1", webrtc-server-options.port = 0, loopback-peers-only = on }
    }
    """);
var app = SfuServer.Build(config);
await app.StartAsync();
var (https, _) = SfuServer.BoundAddresses(app);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Args = ["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--ignore-certificate-errors", "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns"],
});

async Task<IPage> Join(string peerId)
{
    var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true, Permissions = ["microphone", "camera"] });
    var page = await context.NewPageAsync();
    await page.GotoAsync($"{https}?roomId=bench&peerId={peerId}&displayName={peerId}&resolution=qvga&simulcast=false");
    await page.WaitForFunctionAsync("() => window.sfu.client?.snapshot().dataProducers.filter(d => d.readyState === 'open').length === 2",
        null, new PageWaitForFunctionOptions { Timeout = 30_000 });
    return page;
}

var sender = await Join("sender");
await sender.EvaluateAsync("() => window.sfu.client.createDataProducer({ label: 'rate', ordered: true })");
var receiver = await Join("receiver");
await receiver.WaitForFunctionAsync("() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'rate' && d.readyState === 'open')");

var clock = Stopwatch.StartNew();
await sender.EvaluateAsync($$"""
    async () => {
      const producer = window.sfu.client.state.dataProducers.get('rate');
      const payload = 'x'.repeat({{size}});
      for (let i = 0; i < {{messages}}; i++) {
        while (producer.bufferedAmount > 1_000_000) await new Promise(r => setTimeout(r, 1));
        producer.send(payload);
      }
    }
    """);
// Until the count stops growing: the server drops what does not fit its SCTP send buffer toward
// the receiver (262,144 bytes, as mediasoup), so a sender much faster than the path loses some.
var received = 0;
var lastGrowth = clock.Elapsed;
while (received < messages && clock.Elapsed - lastGrowth < TimeSpan.FromSeconds(2))
{
    await Task.Delay(50);
    var now = await receiver.EvaluateAsync<int>("() => window.sfu.client.state.messages.reduce((n, m) => n + (m.label === 'rate' ? 1 : 0), 0)");
    if (now > received)
    {
        received = now;
        lastGrowth = clock.Elapsed;
    }
}
var seconds = lastGrowth.TotalSeconds;
Console.WriteLine($"{received} of {messages} messages of {size} bytes delivered in {seconds:F2} s: " +
    $"{received / seconds:F0} messages/s, {received * (double)size / seconds / 1_000_000:F2} MB/s");
await app.StopAsync();
