using Actors.Peers;
using Signaling;

namespace SfuHost;

/// <summary>
/// <c>token --room R [--peer P] [--permissions join,produce,consume,data,admin] [--hours H] [--config DIR]</c>:
/// prints an access token signed with server.auth.key (env SFU_AUTH_KEY).
/// </summary>
public static class TokenCommand
{
    public const string Usage = "usage: token --room ROOM_ID|* [--peer PEER_ID] [--permissions join,produce,consume,data,admin] [--hours 24] [--config CONFIG_DIR]";

    /// <param name="configOverrides">HOCON on top of server.conf (tests pass the key this way).</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, string? configOverrides = null)
    {
        string? room = null, peer = null, configDir = null;
        IReadOnlySet<string> permissions = Permission.Member;
        var hours = 24.0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--room" when i + 1 < args.Length: room = args[++i]; break;
                case "--peer" when i + 1 < args.Length: peer = args[++i]; break;
                case "--permissions" when i + 1 < args.Length:
                    permissions = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                    break;
                case "--hours" when i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var h) && h > 0:
                    hours = h;
                    i++;
                    break;
                case "--config" when i + 1 < args.Length: configDir = args[++i]; break;
                default:
                    error.WriteLine($"unexpected argument \"{args[i]}\"\n{Usage}");
                    return 2;
            }
        }
        if (room is null)
        {
            error.WriteLine(Usage);
            return 2;
        }
        if (permissions.FirstOrDefault(p => !Permission.All.Contains(p)) is { } unknown)
        {
            error.WriteLine($"unknown permission \"{unknown}\" (known: {string.Join(", ", Permission.All)})");
            return 2;
        }
        var config = ServerConfig.Load(configDir, configOverrides);
        if (config.AuthKey is not { } key)
        {
            error.WriteLine("server.auth.key (env SFU_AUTH_KEY) is not set: the server takes no tokens");
            return 1;
        }
        output.WriteLine(new AccessTokens(key).Mint(new AccessGrant(room, peer, permissions), TimeSpan.FromHours(hours)));
        return 0;
    }
}
