using System.Collections;
using System.Text.Json;
using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>
/// The web client's room pages of one test, each in its own browser context: opens them with the
/// client's URL flags, waits until they have joined, and closes them all at the end. Lists the
/// pages still open, in the order they were opened.
/// </summary>
public sealed class RoomPages(BrowserFixture browser, Uri serverUri) : IReadOnlyList<IPage>, IAsyncDisposable
{
    public const string Connected = "() => window.sfu.client?.snapshot().roomState === 'connected'";

    /// <summary>The web client's two DataChannels (chat and bot) are open.</summary>
    /// <summary>The page's inbound stats and its consumers, as the page and the server (getConsumerStats) see them.</summary>
    public const string ConsumersDiagnostics = """
        async () => ({ inbound: await window.sfu.client.inboundStats(), consumers: window.sfu.client.snapshot().consumers,
          server: await Promise.all(window.sfu.client.snapshot().consumers.map(c => window.sfu.client.protoo.request('getConsumerStats', { consumerId: c.id }))) })
        """;

    public const string DataChannelsOpen = "() => window.sfu.client?.snapshot().dataProducers.filter(d => d.readyState === 'open').length === 2";

    private readonly List<IPage> _pages = new();
    private readonly Dictionary<IPage, List<string>> _errors = new();

    public int Count => _pages.Count;

    public IPage this[int index] => _pages[index];

    public IEnumerator<IPage> GetEnumerator() => _pages.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Console errors of every page, each as "peerId: text".</summary>
    public List<string> ConsoleErrors { get; } = new();

    /// <summary>A page's console and uncaught errors.</summary>
    public IReadOnlyList<string> ErrorsOf(IPage page) => _errors[page];

    /// <summary>Opens the room page as <paramref name="peerId"/>; <paramref name="flags"/> are more URL flags, each with its leading '&amp;'.</summary>
    public async Task<IPage> OpenAsync(string roomId, string peerId, string flags = "", string? displayName = null)
    {
        var (page, errors) = await browser.NewPageAsync();
        _pages.Add(page);
        _errors[page] = errors;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                lock (ConsoleErrors) ConsoleErrors.Add($"{peerId}: {message.Text}");
        };
        await page.GotoAsync($"{serverUri}?roomId={roomId}&peerId={peerId}&displayName={displayName ?? peerId}{flags}");
        return page;
    }

    /// <summary>Opens the room page and waits until <paramref name="until"/> (a page function) is true.</summary>
    public async Task<IPage> JoinAsync(string roomId, string peerId, string flags = "", string until = Connected, string? displayName = null)
    {
        var page = await OpenAsync(roomId, peerId, flags, displayName);
        await page.WaitForFunctionAsync(until, null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        return page;
    }

    public async Task CloseAsync(IPage page)
    {
        _pages.Remove(page);
        await page.Context.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var page in _pages.ToArray())
            await CloseAsync(page);
    }

    /// <summary>
    /// Waits until this page has received audio bytes and decoded video frames from every listed
    /// peer, then until both grow once more; fails after <paramref name="timeout"/> for either step,
    /// with the page's inbound stats and what <paramref name="diagnostics"/> adds.
    /// </summary>
    public static async Task ReceivesAsync(IPage page, string[] fromPeers, TimeSpan timeout, TimeSpan pollInterval,
        Func<Task<string>>? diagnostics = null)
    {
        var first = await ProgressAsync(page, fromPeers, baseline: null, timeout, pollInterval, diagnostics);
        await ProgressAsync(page, fromPeers, first, timeout, pollInterval, diagnostics);
    }

    private static async Task<Dictionary<string, long>> ProgressAsync(IPage page, string[] fromPeers, Dictionary<string, long>? baseline,
        TimeSpan timeout, TimeSpan pollInterval, Func<Task<string>>? diagnostics)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var progress = new Dictionary<string, long>();
            var inbound = await page.EvaluateAsync<JsonElement>("() => window.sfu.client.inboundStats()");
            foreach (var entry in inbound.EnumerateArray())
            {
                var key = $"{entry.GetProperty("peerId").GetString()}/{entry.GetProperty("kind").GetString()}";
                progress[key] = entry.GetProperty("kind").GetString() == "video"
                    ? entry.GetProperty("framesDecoded").GetInt64()
                    : entry.GetProperty("bytesReceived").GetInt64();
            }
            var complete = fromPeers.SelectMany(p => new[] { $"{p}/audio", $"{p}/video" })
                .All(key => progress.TryGetValue(key, out var value) && value > (baseline?.GetValueOrDefault(key) ?? 0));
            if (complete)
                return progress;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{page.Url}: no media growth from {string.Join(",", fromPeers)}: {JsonSerializer.Serialize(progress)}; {inbound}" +
                            (diagnostics is null ? "" : "; " + await diagnostics()));
            }
            await Task.Delay(pollInterval);
        }
    }
}
