using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Host.Tests;

/// <summary>
/// Issue 15's end-to-end case: Chromium peers signaling through two nodes of a three-node cluster into a
/// room hosted by the third receive each other's media; after kill -9 of the room's node they get it
/// again, from the room recovered on a surviving node, with no user action.
/// </summary>
[Collection(nameof(ClusterTests))]
public sealed class ClusterBrowserTests(BrowserFixture browser, ITestOutputHelper log) : IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan MediaTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The issue's target is 10 s (bench/README.md gives the measured times); this catches a regression.</summary>
    private static readonly TimeSpan MediaBackBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Browsers_on_two_nodes_get_each_others_media_from_a_room_on_the_third_and_again_after_it_is_killed()
    {
        await using var nodes = await ClusterNodes.StartAsync(3, "server.mediasoup.loopback-peers-only = on");
        RoomPages? onNode0 = null, onNode1 = null;
        try
        {
            using var http = TestServer.CreateHttpClient();
            await nodes.UntilReadyAsync(http);
            var roomId = await nodes.RoomHostedByAsync(http, host: 2, prefix: "browser-room");

            onNode0 = new RoomPages(browser, nodes[0].HttpsUri);
            onNode1 = new RoomPages(browser, nodes[1].HttpsUri);
            var alice = await onNode0.JoinAsync(roomId, "alice", "&resolution=qvga&simulcast=false");
            var bob = await onNode1.JoinAsync(roomId, "bob", "&resolution=qvga&simulcast=false");
            await Task.WhenAll(ReceivesAsync(alice, "bob"), ReceivesAsync(bob, "alice"));

            var killed = Stopwatch.StartNew();
            await nodes[2].KillHardAsync();
            var back = await Task.WhenAll(new[] { (Page: alice, From: "bob"), (Page: bob, From: "alice") }.Select(async p =>
            {
                // Disconnected when the room's node is removed, then connected again to the recovered room.
                await p.Page.WaitForFunctionAsync("() => window.sfu.client.snapshot().roomState !== 'connected'", null,
                    new PageWaitForFunctionOptions { Timeout = (float)MediaTimeout.TotalMilliseconds, PollingInterval = 100 });
                var lost = killed.Elapsed;
                await p.Page.WaitForFunctionAsync(RoomPages.Connected, null,
                    new PageWaitForFunctionOptions { Timeout = (float)MediaTimeout.TotalMilliseconds, PollingInterval = 100 });
                var joined = killed.Elapsed;
                await ReceivesAsync(p.Page, p.From);
                return (Lost: lost, Joined: joined, Media: killed.Elapsed);
            }));
            log.WriteLine("cluster kill -9, per page (alice on node 0, bob on node 1), disconnected / joined again / media again at: " +
                          string.Join(", ", back.Select(t => $"{t.Lost.TotalSeconds:F1} / {t.Joined.TotalSeconds:F1} / {t.Media.TotalSeconds:F1} s")));
            Assert.True(back.Max(t => t.Media) < MediaBackBound, $"media back only {back.Max(t => t.Media).TotalSeconds:F1} s after the kill");

            var events = JsonNode.Parse(await http.GetStringAsync(new Uri(nodes[0].HttpUri, $"/rooms/{roomId}/history")))!["events"]!.AsArray()
                .Select(e => e!["type"]!.GetValue<string>()).ToList();
            var afterRecovery = events.SkipWhile(type => type != "RoomRecovered").ToList();
            Assert.Equal(2, afterRecovery.Count(type => type == "PeerRejoined"));
            Assert.DoesNotContain("PeerLeft", afterRecovery);
            Assert.Equal(4, afterRecovery.Count(type => type == "ProducerCreated"));
        }
        finally
        {
            if (onNode0 is not null)
                await onNode0.DisposeAsync();
            if (onNode1 is not null)
                await onNode1.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_browser_whose_node_is_killed_moves_to_the_next_server_it_was_given_and_gets_media_again()
    {
        await using var nodes = await ClusterNodes.StartAsync(3, "server.mediasoup.loopback-peers-only = on");
        RoomPages? onNode0 = null, onNode1 = null;
        try
        {
            using var http = TestServer.CreateHttpClient();
            await nodes.UntilReadyAsync(http);
            // The room on node 2; Bob's page comes from node 1 and knows node 0 as another server.
            var roomId = await nodes.RoomHostedByAsync(http, host: 2, prefix: "failover-room");
            onNode0 = new RoomPages(browser, nodes[0].HttpsUri);
            onNode1 = new RoomPages(browser, nodes[1].HttpsUri);
            var alice = await onNode0.JoinAsync(roomId, "alice", "&resolution=qvga&simulcast=false");
            var bob = await onNode1.JoinAsync(roomId, "bob", $"&resolution=qvga&simulcast=false&servers=127.0.0.1:{nodes[0].HttpsUri.Port}");
            await Task.WhenAll(ReceivesAsync(alice, "bob"), ReceivesAsync(bob, "alice"));

            var killed = Stopwatch.StartNew();
            await nodes[1].KillHardAsync();
            await bob.WaitForFunctionAsync($"() => window.sfu.client.snapshot().server === '127.0.0.1:{nodes[0].HttpsUri.Port}' && window.sfu.client.snapshot().roomState === 'connected'",
                null, new PageWaitForFunctionOptions { Timeout = (float)MediaTimeout.TotalMilliseconds, PollingInterval = 100 });
            var joined = killed.Elapsed;
            await Task.WhenAll(ReceivesAsync(alice, "bob"), ReceivesAsync(bob, "alice"));
            log.WriteLine($"cluster kill -9 of Bob's node: Bob joined again through node 0 at {joined.TotalSeconds:F1} s, media both ways at {killed.Elapsed.TotalSeconds:F1} s");
            Assert.True(killed.Elapsed < MediaBackBound, $"media back only {killed.Elapsed.TotalSeconds:F1} s after the kill");
        }
        finally
        {
            if (onNode0 is not null)
                await onNode0.DisposeAsync();
            if (onNode1 is not null)
                await onNode1.DisposeAsync();
        }
    }

    private static Task ReceivesAsync(IPage page, string fromPeer) =>
        RoomPages.ReceivesAsync(page, [fromPeer], MediaTimeout, TimeSpan.FromMilliseconds(200),
            async () => $"room state {await page.EvaluateAsync<string>("() => window.sfu.client.snapshot().roomState")}");
}
