using System.Globalization;
using System.Text;
using System.Text.Json;
using Actors.Persistence;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;

namespace SfuHost.Replay;

/// <summary>
/// <c>replay --room R [--to SEQ] [--at TIME] [--json] [--config DIR]</c>: prints each event of the
/// room's journal with the room state after it; the last state printed is the room at SEQ or TIME.
/// </summary>
public static class ReplayCommand
{
    public const string Usage = "usage: replay --room ROOM_ID [--to SEQUENCE_NR] [--at ISO_8601_TIME] [--json] [--config CONFIG_DIR]";

    /// <param name="configOverrides">HOCON on top of server.conf (tests point it at their data folder).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, string? configOverrides = null)
    {
        string? roomId = null, configDir = null;
        var to = long.MaxValue;
        DateTimeOffset? at = null;
        var json = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--room" when i + 1 < args.Length: roomId = args[++i]; break;
                case "--to" when i + 1 < args.Length && long.TryParse(args[i + 1], out var seq): to = seq; i++; break;
                case "--at" when i + 1 < args.Length && TryParseTime(args[i + 1], out var time): at = time; i++; break;
                case "--config" when i + 1 < args.Length: configDir = args[++i]; break;
                case "--json": json = true; break;
                default:
                    await error.WriteLineAsync($"unexpected argument \"{args[i]}\"\n{Usage}");
                    return 2;
            }
        }
        if (roomId is null)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var config = ServerConfig.Load(configDir, configOverrides);
        SfuServer.CreateLogger("Warning", toStandardError: true);
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka(AkkaSetup.SystemName, (akka, _) => AkkaSetup.Configure(akka, config, rooms: null)))
            .Build();
        await host.StartAsync();
        try
        {
            var history = await RoomHistory.ReadAsync(host.Services.GetRequiredService<ActorSystem>(), roomId, to, at);
            if (history.Count == 0)
            {
                await error.WriteLineAsync(at is null
                    ? $"no events for room \"{roomId}\" in {config.JournalDescription}"
                    : $"no events for room \"{roomId}\" at or before {at:o} in {config.JournalDescription}");
                return 1;
            }
            foreach (var entry in history)
                await output.WriteLineAsync(json ? FormatJson(entry) : FormatText(entry));
            return 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public static string FormatJson(HistoryEntry entry) => RoomHistory.ToJson(entry, withState: true).ToJsonString(RoomJson.Options);

    /// <summary>ISO-8601; without an offset the time is UTC, like the journal's timestamps.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    public static string FormatText(HistoryEntry entry)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#{entry.SequenceNr} {entry.Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {entry.Type} ");
        text.AppendLine(RoomEventSerializer.ToJson(entry.Event));
        var state = entry.StateAfter;
        text.Append(CultureInfo.InvariantCulture,
            $"    room {state.RoomId}: {(state.Open ? "open" : "closed")}, {state.Peers.Count} peer(s), {state.Broadcasters.Count} broadcaster(s)");
        foreach (var peer in state.Peers)
        {
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture,
                $"      peer {peer.Id} \"{peer.DisplayName}\" {(peer.Joined ? "joined" : "connected")} device={DeviceName(peer.Device)}");
            if (peer.RtpCapabilitiesDigest is { } digest)
                text.Append(CultureInfo.InvariantCulture, $" rtpCapabilities={digest}");
        }
        foreach (var broadcaster in state.Broadcasters)
        {
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"      broadcaster {broadcaster.Id} \"{broadcaster.DisplayName}\" device={DeviceName(broadcaster.Device)}");
        }
        return text.ToString();
    }

    private static string DeviceName(JsonElement? device) =>
        device is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : "-";
}
