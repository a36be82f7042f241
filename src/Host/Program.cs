using SfuHost;
using SfuHost.Replay;

if (args.Length > 0 && args[0] == "replay")
    return await ReplayCommand.RunAsync(args[1..], Console.Out, Console.Error);
if (args.Length > 0 && args[0] == "token")
    return TokenCommand.Run(args[1..], Console.Out, Console.Error);

// Alongside the start, not before it: the handshake is warm by the time returning peers get that far.
var dtlsWarmUp = Task.Run(() => DtlsWarmUp.RunAsync(TimeSpan.FromSeconds(30)));
var config = ServerConfig.Load();
var journalWarmUp = config.PersistenceProvider == "postgresql"
    ? Task.Run(() => JournalWarmUp.RunAsync(config.JournalConnectionString, TimeSpan.FromSeconds(30)))
    : null;
var app = SfuServer.Build(config, args);
await app.StartAsync();
var (https, http) = SfuServer.BoundAddresses(app);
Serilog.Log.Information("SFU listening: {Https} (HTTPS + WSS), {Http} (HTTP API); journal: {Journal}",
    https, http?.ToString() ?? "off", config.JournalDescription);
_ = dtlsWarmUp.ContinueWith(warmUp =>
{
    if (warmUp.IsCompletedSuccessfully)
        Serilog.Log.Information("DTLS warm-up handshake done in {Milliseconds} ms", (int)warmUp.Result.TotalMilliseconds);
    else
        Serilog.Log.Warning("DTLS warm-up handshake failed: {Error}", warmUp.Exception?.GetBaseException().Message);
}, TaskScheduler.Default);
_ = journalWarmUp?.ContinueWith(warmUp =>
{
    if (warmUp.IsCompletedSuccessfully)
        Serilog.Log.Information("journal connection warm-up done in {Milliseconds} ms", (int)warmUp.Result.TotalMilliseconds);
    else
        Serilog.Log.Warning("journal connection warm-up failed: {Error}", warmUp.Exception?.GetBaseException().Message);
}, TaskScheduler.Default);
await app.WaitForShutdownAsync();
return 0;
