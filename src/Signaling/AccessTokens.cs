using System.Text;
using Actors.Peers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Signaling;

/// <summary>What a token lets its bearer do: in which room (any with "*"), as which peer, with which permissions.</summary>
public sealed record AccessGrant(string Room, string? Peer, IReadOnlySet<string> Permissions)
{
    public const string AnyRoom = "*";

    public bool Can(string permission) => Permissions.Contains(permission);

    public bool CoversRoom(string roomId) => Room == AnyRoom || Room == roomId;
}

/// <summary>
/// Signed access tokens (JWT, HS256 with the configured key): claims "room", "peer" (optional) and
/// "permissions", and an expiry. The server checks them; operators mint them (the host's token command).
/// </summary>
public sealed class AccessTokens
{
    public const int MinimumKeyBytes = 32;
    private const string Issuer = "sfu";

    private readonly SymmetricSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = true };

    /// <exception cref="ArgumentException">The key is shorter than <see cref="MinimumKeyBytes"/> bytes (UTF-8).</exception>
    public AccessTokens(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        if (bytes.Length < MinimumKeyBytes)
            throw new ArgumentException($"server.auth.key must have at least {MinimumKeyBytes} bytes");
        _key = new SymmetricSecurityKey(bytes);
    }

    public string Mint(AccessGrant grant, TimeSpan lifetime, DateTime? now = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["room"] = grant.Room,
            ["permissions"] = grant.Permissions.Order(StringComparer.Ordinal).ToArray(),
        };
        if (grant.Peer is not null)
            claims["peer"] = grant.Peer;
        var issuedAt = now ?? DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The grant of a valid token (signed with this key, not expired, naming a room); else null and why.</summary>
    public async Task<(AccessGrant? Grant, string? Error)> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidateAudience = false,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
        });
        if (!result.IsValid)
            return (null, result.Exception is SecurityTokenExpiredException ? "access token expired" : "access token invalid");
        var identity = result.ClaimsIdentity;
        var room = identity.FindFirst("room")?.Value;
        if (string.IsNullOrEmpty(room))
            return (null, "access token names no room");
        var permissions = identity.FindAll("permissions").Select(c => c.Value).Where(Permission.All.Contains).ToHashSet();
        return (new AccessGrant(room, identity.FindFirst("peer")?.Value, permissions), null);
    }
}
