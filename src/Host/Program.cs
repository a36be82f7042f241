using SfuHost;
using SfuHost.Replay;

if (args.Length > 0 && args[0] == "replay")
    return await ReplayCommand.RunAsync(args[1..], Console.Out, Console.Error);

var config = ServerConfig.Load();
var app = SfuServer.Build(config, args);
await app.StartAsync();
var (https, http) = SfuServer.BoundAddresses(app);
Serilog.Log.Information("SFU listening: {Https} (HTTPS + WSS), {Http} (HTTP API); journal: {Journal}",
    https, http?.ToString() ?? "off", config.JournalDescription);
await app.WaitForShutdownAsync();
return 0;
