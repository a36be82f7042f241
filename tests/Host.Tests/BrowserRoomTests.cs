namespace Host.Tests;

/// <summary>A browser test class: a server of its own for each test, and the room pages the test opens, closed before the server stops.</summary>
public abstract class BrowserRoomTests(BrowserFixture browser, string extraConfig = "") : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;

    protected RoomPages Pages { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(extraConfig: extraConfig);
        Pages = new RoomPages(browser, Server.HttpsUri);
    }

    public async Task DisposeAsync()
    {
        await Pages.DisposeAsync();
        await Server.DisposeAsync();
    }
}
