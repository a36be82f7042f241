using Actors.Peers;
using Signaling;
using SfuHost;

namespace Host.Tests;

public sealed class AccessTokenTests
{
    private const string Key = "a key of at least thirty-two bytes, for tests";

    [Fact]
    public async Task A_minted_token_gives_back_its_room_peer_and_permissions()
    {
        var tokens = new AccessTokens(Key);
        var token = tokens.Mint(new AccessGrant("r1", "alice", new HashSet<string> { Permission.Join, Permission.Consume }), TimeSpan.FromHours(1));

        var (grant, error) = await tokens.ValidateAsync(token);

        Assert.Null(error);
        Assert.Equal(("r1", "alice"), (grant!.Room, grant.Peer));
        Assert.Equal(new[] { "consume", "join" }, grant.Permissions.Order());
        Assert.True(grant.CoversRoom("r1"));
        Assert.False(grant.CoversRoom("r2"));
        Assert.False(grant.Can(Permission.Produce));
    }

    [Fact]
    public async Task Another_keys_token_a_tampered_one_and_an_expired_one_are_refused()
    {
        var tokens = new AccessTokens(Key);
        var grant = new AccessGrant(AccessGrant.AnyRoom, null, Permission.All);
        var foreign = new AccessTokens(Key + "!").Mint(grant, TimeSpan.FromHours(1));
        Assert.Equal("access token invalid", (await tokens.ValidateAsync(foreign)).Error);

        var token = tokens.Mint(new AccessGrant("r1", "alice", Permission.Member), TimeSpan.FromHours(1));
        var parts = token.Split('.');
        var claims = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"r1\"", "\"r2\"");
        var tampered = $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(claims)}.{parts[2]}";
        Assert.Equal("access token invalid", (await tokens.ValidateAsync(tampered)).Error);

        var expired = tokens.Mint(grant, TimeSpan.FromHours(1), now: DateTime.UtcNow - TimeSpan.FromHours(2));
        Assert.Equal("access token expired", (await tokens.ValidateAsync(expired)).Error);
        Assert.Equal("access token invalid", (await tokens.ValidateAsync("not a token")).Error);
    }

    [Fact]
    public void A_short_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new AccessTokens("too short"));
    }

    [Fact]
    public async Task The_token_command_mints_with_the_configured_key()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = TokenCommand.Run(["--room", "r1", "--peer", "bob", "--permissions", "join,consume", "--hours", "2"], output, error,
            configOverrides: $"server.auth.key = \"{Key}\"");

        Assert.Equal(0, code);
        var (grant, _) = await new AccessTokens(Key).ValidateAsync(output.ToString().Trim());
        Assert.Equal(("r1", "bob"), (grant!.Room, grant.Peer));
        Assert.Equal(2, TokenCommand.Run(["--room", "r1", "--permissions", "fly"], output, error, configOverrides: $"server.auth.key = \"{Key}\""));
        Assert.Equal(1, TokenCommand.Run(["--room", "r1"], output, error));
    }
}
