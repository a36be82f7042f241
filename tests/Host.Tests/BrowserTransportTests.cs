using System.Text.Json;
using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>
/// Chromium against the server's WebRtcTransports through the web client's connection check:
/// ICE, DTLS and SRTP with a real browser, over UDP and TCP.
/// </summary>
public sealed class BrowserTransportTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;
    private IPage _page = null!;
    private List<string> _consoleErrors = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        (_page, _consoleErrors) = await browser.NewPageAsync();
        await _page.GotoAsync(_server.HttpsUri.ToString());
        await _page.WaitForFunctionAsync("() => window.sfu !== undefined");
    }

    public async Task DisposeAsync()
    {
        await _page.Context.CloseAsync();
        await _server.DisposeAsync();
    }

    private Task<JsonElement> EvaluateAsync(string script) => _page.EvaluateAsync<JsonElement>(script);

    /// <summary>Waits until the server has decrypted SRTP from the browser; returns the server's stats.</summary>
    private async Task<JsonElement> WaitForDecryptedMediaAsync(long moreThan = 0)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var stats = await EvaluateAsync("() => window.check.serverStats()");
            if (stats.GetProperty("rtpPacketsReceived").GetInt64() > moreThan)
                return stats;
            Assert.True(DateTime.UtcNow < deadline, $"no SRTP decrypted: {stats}");
            await Task.Delay(200);
        }
    }

    [Theory]
    [InlineData(false, "udp")]
    [InlineData(true, "tcp")]
    public async Task Chromium_connects_and_the_server_decrypts_its_srtp(bool forceTcp, string protocol)
    {
        var state = await EvaluateAsync($$"""
            async () => {
              window.check = new window.sfu.ConnectivityCheck({ forceTcp: {{(forceTcp ? "true" : "false")}} });
              return await window.check.start();
            }
            """);
        Assert.Equal("connected", state.GetString());
        // Chromium uses the first pair that answers and moves to a better one (UDP) once that answers too:
        // under load the TCP pair may be first for a moment.
        await _page.WaitForFunctionAsync($"async () => (await window.check.selectedProtocol()) === '{protocol}'", null,
            new PageWaitForFunctionOptions { Timeout = 10_000, PollingInterval = 100 });

        var stats = await WaitForDecryptedMediaAsync();
        // The server follows the pair Chromium uses (its nomination and its media) to the same protocol.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (stats.GetProperty("iceSelectedTuple").GetProperty("protocol").GetString() != protocol && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            stats = await EvaluateAsync("() => window.check.serverStats()");
        }
        Assert.Equal("connected", stats.GetProperty("dtlsState").GetString());
        Assert.Contains(stats.GetProperty("iceState").GetString(), new[] { "connected", "completed" });
        Assert.Equal(protocol, stats.GetProperty("iceSelectedTuple").GetProperty("protocol").GetString());
        Assert.Equal(0, stats.GetProperty("srtpErrors").GetInt64());
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task Restart_ice_brings_the_transport_back_with_new_credentials()
    {
        Assert.Equal("connected", (await EvaluateAsync("async () => { window.check = new window.sfu.ConnectivityCheck(); return await window.check.start(); }")).GetString());
        var before = await WaitForDecryptedMediaAsync();
        var firstUfrag = (await EvaluateAsync("() => window.check.iceParameters.usernameFragment")).GetString();

        var restarted = await EvaluateAsync("() => window.check.restartIce()");
        Assert.NotEqual(firstUfrag, restarted.GetProperty("usernameFragment").GetString());
        Assert.Equal("connected", (await EvaluateAsync("() => window.check.waitForConnection()")).GetString());

        var after = await WaitForDecryptedMediaAsync(before.GetProperty("rtpPacketsReceived").GetInt64() + 20);
        Assert.Contains(after.GetProperty("iceState").GetString(), new[] { "connected", "completed" });
    }

    [Fact]
    public async Task A_wrong_certificate_fingerprint_fails_the_transport_and_closes_the_peer()
    {
        var wrong = string.Join(':', Enumerable.Repeat("AB", 32));
        var state = await EvaluateAsync($$"""
            async () => {
              window.check = new window.sfu.ConnectivityCheck();
              return await window.check.start({ remoteFingerprint: { algorithm: 'sha-256', value: '{{wrong}}' } });
            }
            """);
        Assert.NotEqual("connected", state.GetString());
        await _page.WaitForFunctionAsync("() => window.check.events.includes('signaling closed')", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
    }
}
