using Actors.Peers;
using Signaling;

namespace Host.Tests;

/// <summary>The built-in web client on a server that takes access tokens: the page's token=… goes with its protoo connection.</summary>
public sealed class BrowserAccessTokenTests(BrowserFixture browser)
    : BrowserRoomTests(browser, $$"""server.auth.key = "{{Key}}" """)
{
    private const string Key = "a key of at least thirty-two bytes, for tests";

    [Fact]
    public async Task The_room_page_joins_with_the_token_in_its_url()
    {
        var token = new AccessTokens(Key).Mint(new AccessGrant("tokens", "alice", Permission.Member), TimeSpan.FromMinutes(10));

        await Pages.JoinAsync("tokens", "alice", $"&resolution=qvga&produce=false&token={Uri.EscapeDataString(token)}");

        Assert.Empty(Pages.ConsoleErrors);
    }
}
