using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Host.Tests;

/// <summary>
/// Headless Debian Chromium driven by Playwright, with fake camera and microphone. One browser
/// per test class; every page gets its own context (its own cookies and storage, as separate users).
/// </summary>
public sealed class BrowserFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private int _stallsBefore;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _stallsBefore = ThreadPoolWatch.StallsSoFar().Count;
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--ignore-certificate-errors",
                "--autoplay-policy=no-user-gesture-required",
                // ICE on loopback: a loopback host candidate (the server answers only those), no mDNS names.
                "--allow-loopback-in-peer-connection",
                "--disable-features=WebRtcHideLocalIpsWithMdns",
            ],
        });
    }

    /// <summary>A new page (in its own context) that records console errors.</summary>
    public async Task<(IPage Page, List<string> ConsoleErrors)> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            Permissions = ["microphone", "camera"],
            ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                lock (errors) errors.Add(message.Text);
        };
        page.PageError += (_, error) =>
        {
            lock (errors) errors.Add(error);
        };
        return (page, errors);
    }

    public async Task DisposeAsync()
    {
        foreach (var stall in ThreadPoolWatch.StallsSoFar().Skip(_stallsBefore))
            diagnostics.OnMessage(new DiagnosticMessage(stall));
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}
