using System.Text.Json;
using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>activeSpeaker from the router's AudioLevelObserver, with Chromium's fake microphone (a periodic beep).</summary>
public sealed class BrowserActiveSpeakerTests(BrowserFixture browser) : BrowserRoomTests(browser)
{
    /// <summary>
    /// Chromium's fake microphone beeps: interval averages measured here were −63..−80 dBov with an
    /// occasional interval under −80 (then silence, {peerId: null}). So the asserts are: once one mic
    /// is on, activeSpeaker names that peer and never the muted one; with both muted, silence.
    /// </summary>
    [Fact]
    public async Task ActiveSpeaker_names_the_peer_whose_microphone_is_on_and_is_null_when_both_are_muted()
    {
        var roomId = "speaker-" + Guid.NewGuid().ToString("N")[..6];
        var (alice, bob) = (await JoinAsync(roomId, "alice"), await JoinAsync(roomId, "bob"));

        await SetMicAsync(bob, on: false);
        await AssertSpeakerAsync([alice, bob], "alice");

        await SetMicAsync(alice, on: false);
        await SetMicAsync(bob, on: true);
        await AssertSpeakerAsync([alice, bob], "bob");

        await SetMicAsync(bob, on: false);
        foreach (var page in new[] { alice, bob })
        {
            // Silence may already have been reported by an interval of the beep under the threshold.
            var since = await NowAsync(page) + 1000;
            await page.WaitForFunctionAsync($"() => Date.now() > {since} && window.sfu.client.snapshot().activeSpeaker.peerId === null",
                null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        }
        // Silence is reported once: nothing follows while both stay muted.
        var silentSince = await NowAsync(alice);
        await Task.Delay(2500);
        Assert.Equal(0, await alice.EvaluateAsync<int>($"() => window.sfu.client.snapshot().activeSpeakerLog.filter(e => e.at > {silentSince}).length"));
        // On the wire as mediasoup-demo sends it: {peerId: null} on silence, {peerId, volume} otherwise.
        var wire = await alice.EvaluateAsync<JsonElement>("() => window.activeSpeakerWire");
        Assert.Contains(wire.EnumerateArray(), data => data.TryGetProperty("peerId", out var id) && id.ValueKind == JsonValueKind.Null && !data.TryGetProperty("volume", out _));
        Assert.Contains(wire.EnumerateArray(), data => data.TryGetProperty("volume", out _) && data.GetProperty("peerId").GetString() == "bob");
    }

    private async Task<IPage> JoinAsync(string roomId, string peerId)
    {
        var page = await Pages.JoinAsync(roomId, peerId, "&resolution=qvga&simulcast=false&datachannel=false",
            until: "() => window.sfu.client?.snapshot().producers.some(p => p.source === 'mic')");
        await page.EvaluateAsync("""
            () => {
              window.activeSpeakerWire = [];
              window.sfu.client.protoo.on('notification', (n) => { if (n.method === 'activeSpeaker') window.activeSpeakerWire.push(n.data); });
            }
            """);
        return page;
    }

    private static Task SetMicAsync(IPage page, bool on) => page.EvaluateAsync($"() => window.sfu.client.setProducerPaused('mic', {(on ? "false" : "true")})");

    private static Task<long> NowAsync(IPage page) => page.EvaluateAsync<long>("() => Date.now()");

    /// <summary>
    /// Reports from intervals that ended before the mute changes may still be on their way, so only
    /// those from a second later count: they name <paramref name="speaker"/> (or are silence) and do name it.
    /// </summary>
    private static async Task AssertSpeakerAsync(IPage[] pages, string speaker)
    {
        foreach (var page in pages)
        {
            var since = await NowAsync(page) + 1000;
            await page.WaitForFunctionAsync($"() => window.sfu.client.snapshot().activeSpeakerLog.some(e => e.at > {since} && e.peerId === '{speaker}')",
                null, new PageWaitForFunctionOptions { Timeout = 15_000 });
            await Task.Delay(2500);
            var log = await page.EvaluateAsync<JsonElement>($"() => window.sfu.client.snapshot().activeSpeakerLog.filter(e => e.at > {since})");
            foreach (var entry in log.EnumerateArray())
            {
                if (entry.GetProperty("peerId").ValueKind == JsonValueKind.Null)
                    continue;
                Assert.True(entry.GetProperty("peerId").GetString() == speaker, $"{page.Url}: expected {speaker}: {log}");
                Assert.InRange(entry.GetProperty("volume").GetInt32(), -80, 0);
            }
        }
    }
}
