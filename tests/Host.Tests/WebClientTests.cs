using System.Text.Json;
using Microsoft.Playwright;

namespace Host.Tests;

public sealed class WebClientTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_landing_page_is_served_by_the_host_with_its_bundle_and_no_console_errors()
    {
        var (page, errors) = await browser.NewPageAsync();
        var response = await page.GotoAsync(_server.HttpsUri.ToString());
        Assert.Equal(200, response!.Status);
        await page.WaitForFunctionAsync("() => window.sfu !== undefined");
        Assert.True(await page.IsVisibleAsync("#join-form"));
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Two_browsers_in_one_room_see_each_other_through_the_window_hook()
    {
        var roomId = "web-" + Guid.NewGuid().ToString("N")[..6];
        var (alice, aliceErrors) = await browser.NewPageAsync();
        await alice.GotoAsync($"{_server.HttpsUri}?roomId={roomId}&peerId=alice&displayName=Alice");
        await WaitForRoomStateAsync(alice, "connected");

        var (bob, bobErrors) = await browser.NewPageAsync();
        await bob.GotoAsync($"{_server.HttpsUri}?roomId={roomId}&peerId=bob&displayName=Bob");
        await WaitForRoomStateAsync(bob, "connected");

        await alice.WaitForFunctionAsync("() => window.sfu.client.snapshot().peers.some(p => p.displayName === 'Bob')");
        var bobSees = await bob.EvaluateAsync<JsonElement>("() => window.sfu.client.snapshot().peers");
        Assert.Equal("Alice", bobSees[0].GetProperty("displayName").GetString());
        Assert.Contains("Alice", await bob.InnerTextAsync("#peers"));

        await bob.Context.CloseAsync();
        await alice.WaitForFunctionAsync("() => window.sfu.client.snapshot().peers.length === 0");
        Assert.Empty(aliceErrors);
        Assert.Empty(bobErrors);
        await alice.Context.CloseAsync();
    }

    private static Task WaitForRoomStateAsync(IPage page, string state) =>
        page.WaitForFunctionAsync($"() => window.sfu.client?.snapshot().roomState === '{state}'", null,
            new PageWaitForFunctionOptions { Timeout = 20_000 });
}
