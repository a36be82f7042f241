using System.Text.Json;
using Microsoft.Playwright;

namespace Host.Tests;

/// <summary>mediasoup-demo's chat and Bot between real browsers, over SCTP on the server's transports.</summary>
public sealed class BrowserDataChannelTests(BrowserFixture browser) : BrowserRoomTests(browser)
{
    private Task<IPage> JoinAsync(string roomId, string peerId) =>
        Pages.JoinAsync(roomId, peerId, "&resolution=qvga&simulcast=false", until: RoomPages.DataChannelsOpen);

    private Task WaitForMessageAsync(IPage page, string label, string? peerId, string text) =>
        WaitAsync(page,
            $"() => window.sfu.client.snapshot().messages.some(m => m.label === '{label}' && m.peerId === {(peerId is null ? "null" : $"'{peerId}'")} && m.text === {JsonSerializer.Serialize(text)})");

    private async Task WaitAsync(IPage page, string condition)
    {
        try
        {
            await page.WaitForFunctionAsync(condition, null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            var snapshots = new List<string>();
            foreach (var each in Pages)
                snapshots.Add((await each.EvaluateAsync<JsonElement>("() => { const s = window.sfu.client.snapshot(); return { peerId: s.peerId, dataConsumers: s.dataConsumers, dataProducers: s.dataProducers, messages: s.messages, notices: s.notices }; }")).ToString());
            throw new TimeoutException($"{condition}: {string.Join(" | ", snapshots)}");
        }
    }

    [Fact]
    public async Task Chat_reaches_the_other_peer_and_the_bot_answers_the_whole_room()
    {
        var roomId = "chat-" + Guid.NewGuid().ToString("N")[..6];
        var alice = await JoinAsync(roomId, "alice");
        var bob = await JoinAsync(roomId, "bob");
        await WaitAsync(bob, "() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'chat' && d.peerId === 'alice' && d.readyState === 'open')");
        await WaitAsync(alice, "() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'chat' && d.peerId === 'bob' && d.readyState === 'open')");

        await alice.EvaluateAsync("() => window.sfu.client.sendText('chat', 'hello bob')");
        await WaitForMessageAsync(bob, "chat", "alice", "hello bob");
        await bob.EvaluateAsync("() => window.sfu.client.sendText('chat', 'hi alice')");
        await WaitForMessageAsync(alice, "chat", "bob", "hi alice");

        await alice.EvaluateAsync("() => window.sfu.client.sendText('bot', 'ping')");
        await WaitForMessageAsync(alice, "bot", null, "alice said me: \"ping\"");
        await WaitForMessageAsync(bob, "bot", null, "alice said me: \"ping\"");

        await Pages.CloseAsync(bob);
        await WaitAsync(alice, "() => !window.sfu.client.snapshot().dataConsumers.some(d => d.peerId === 'bob')");
        await WaitAsync(alice, "() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'bot')");
    }

    [Fact]
    public async Task A_burst_of_ten_thousand_messages_arrives_in_order_and_a_100_KB_binary_message_intact()
    {
        var roomId = "bulk-" + Guid.NewGuid().ToString("N")[..6];
        var alice = await JoinAsync(roomId, "alice");
        await alice.EvaluateAsync("() => window.sfu.client.createDataProducer({ label: 'bulk', ordered: true })");
        var bob = await JoinAsync(roomId, "bob");
        await WaitAsync(bob, "() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'bulk' && d.readyState === 'open')");

        var expectedChecksum = await alice.EvaluateAsync<long>("""
            () => {
              const client = window.sfu.client;
              for (let i = 0; i < 10000; i++) client.sendData('bulk', String(i));
              const bytes = Array.from({ length: 100 * 1024 }, (_, i) => (i * 7 + 3) % 251);
              client.sendData('bulk', bytes);
              let sum = 0;
              for (const b of bytes) sum = (sum * 31 + b) >>> 0;
              return sum;
            }
            """);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await bob.EvaluateAsync<bool>("() => window.sfu.client.state.messages.some(m => m.label === 'bulk' && m.bytes === 102400)"))
        {
            var progress = await bob.EvaluateAsync<JsonElement>("""
                async () => {
                  const c = window.sfu.client;
                  const bulk = c.state.messages.filter(m => m.label === 'bulk');
                  const consumer = c.snapshot().dataConsumers.find(d => d.label === 'bulk');
                  const stats = await c.protoo.request('getDataConsumerStats', { dataConsumerId: consumer.id });
                  return { received: bulk.length, last: bulk.at(-1), stats };
                }
                """);
            Assert.True(DateTime.UtcNow < deadline, $"bulk transfer stalled: {progress}");
            await Task.Delay(500);
        }
        var result = await bob.EvaluateAsync<JsonElement>("""
            () => {
              const bulk = window.sfu.client.state.messages.filter(m => m.label === 'bulk');
              const texts = bulk.filter(m => m.text !== null).map(m => m.text);
              const inOrder = texts.every((t, i) => t === String(i));
              const binary = bulk.find(m => m.text === null);
              return { count: texts.length, inOrder, bytes: binary.bytes, checksum: binary.checksum };
            }
            """);
        Assert.Equal(10000, result.GetProperty("count").GetInt32());
        Assert.True(result.GetProperty("inOrder").GetBoolean());
        Assert.Equal(102400, result.GetProperty("bytes").GetInt32());
        Assert.Equal(expectedChecksum, result.GetProperty("checksum").GetInt64());
    }
}

/// <summary>DataChannels under loss the server injects on what it sends.</summary>
public sealed class LossyDataChannelTests(BrowserFixture browser) : BrowserRoomTests(browser, "server.mediasoup.sctp-loss-injection = 0.2")
{
    private Task<IPage> JoinAsync(string roomId, string peerId) =>
        Pages.JoinAsync(roomId, peerId, "&resolution=qvga&simulcast=false", until: RoomPages.DataChannelsOpen);

    [Fact]
    public async Task An_unordered_channel_without_retransmissions_keeps_delivering_under_20_percent_loss()
    {
        var roomId = "lossy-" + Guid.NewGuid().ToString("N")[..6];
        var alice = await JoinAsync(roomId, "alice");
        await alice.EvaluateAsync("() => window.sfu.client.createDataProducer({ label: 'lossy', ordered: false, maxRetransmits: 0 })");
        var bob = await JoinAsync(roomId, "bob");
        await bob.WaitForFunctionAsync("() => window.sfu.client.snapshot().dataConsumers.some(d => d.label === 'lossy' && d.readyState === 'open')",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });

        for (var round = 0; round < 2; round++)
        {
            await alice.EvaluateAsync($$"""
                async () => {
                  for (let i = 0; i < 200; i++) {
                    window.sfu.client.sendData('lossy', 'r{{round}}-' + i);
                    if (i % 20 === 19) await new Promise(r => setTimeout(r, 20));
                  }
                }
                """);
            await Task.Delay(1500);
        }
        var received = await bob.EvaluateAsync<JsonElement>("""
            () => {
              const texts = window.sfu.client.state.messages.filter(m => m.label === 'lossy').map(m => m.text);
              return { first: texts.filter(t => t.startsWith('r0-')).length, second: texts.filter(t => t.startsWith('r1-')).length };
            }
            """);
        var first = received.GetProperty("first").GetInt32();
        var second = received.GetProperty("second").GetInt32();
        Assert.InRange(first, 100, 199);
        Assert.InRange(second, 100, 199);
    }
}
