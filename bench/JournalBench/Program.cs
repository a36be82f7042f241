// Journal benchmark: recovery time of a big room (with and without snapshots) and the journal's
// write rate with Akka.Persistence.Sql's batching, on SQLite or PostgreSQL.
//   dotnet run -c Release --project bench/JournalBench -- [--provider sqlite|postgresql] [--connection STRING]
using System.Diagnostics;
using System.Text.Json;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using MediaEngine.Rtp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SfuHost;

const int Peers = 50;
const int Events = 10_000;
const int Repeats = 3;

var provider = "sqlite";
string? connection = null;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--provider") provider = args[++i];
    else if (args[i] == "--connection") connection = args[++i];
}
var dataDir = Path.Combine(Path.GetTempPath(), "sfu-journal-bench", Guid.NewGuid().ToString("N"));
var overrides = $"server.data-dir = {JsonSerializer.Serialize(dataDir)}\nserver.persistence.provider = {provider}\n" +
                (connection is null ? "" : $"server.persistence.connection-string = {JsonSerializer.Serialize(connection)}\n");
var config = ServerConfig.Load(overrides: overrides);
SfuServer.CreateLogger("Error", toStandardError: true);
using var host = new HostBuilder()
    .ConfigureServices(services => services.AddAkka(AkkaSetup.SystemName, (akka, _) => AkkaSetup.Configure(akka, config, rooms: null)))
    .Build();
await host.StartAsync();
var system = host.Services.GetRequiredService<ActorSystem>();
var run = Guid.NewGuid().ToString("N")[..6];
Console.WriteLine($"journal: {config.JournalDescription}; {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

// Recovery: a room of 50 joined peers and 10,000 events in all, recovered by a RoomActor.
var settings = new RoomSettings(Ortc.GenerateRouterRtpCapabilities(
    [new RtpCodecCapability { Kind = "audio", MimeType = "audio/opus", ClockRate = 48000, Channels = 2 }]));
foreach (var snapshotEvery in new[] { 0, 100 })
{
    var times = new List<double>();
    for (var r = 0; r < Repeats; r++)
    {
        var roomId = $"bench-{run}-{snapshotEvery}-{r}";
        await WriteAsync(system, RoomActor.PersistenceIdFor(roomId), RoomEvents(roomId).ToList(), batch: 100, snapshotEvery, roomId);
        var watch = Stopwatch.StartNew();
        var room = system.ActorOf(RoomActor.Props(roomId, settings with { SnapshotEvery = 1_000_000 }));
        var state = await room.Ask<RoomState>(GetRoomState.Instance, TimeSpan.FromMinutes(2));
        times.Add(watch.Elapsed.TotalMilliseconds);
        if (state.Peers.Count != Peers)
            throw new InvalidOperationException($"recovered {state.Peers.Count} peers");
        await room.GracefulStop(TimeSpan.FromSeconds(10));
    }
    Console.WriteLine($"recovery, {Peers} peers, {Events} events, {(snapshotEvery == 0 ? "no snapshot" : $"snapshot every {snapshotEvery}")}: " +
                      $"median {Median(times):F0} ms (runs: {string.Join(", ", times.Select(t => t.ToString("F0")))} ms)");
}

// Write rate: many rooms each persisting one event at a time (what rooms do); the journal batches across them.
foreach (var (writers, perWriter) in new[] { (1, 500), (20, 100), (100, 50) })
{
    var events = Enumerable.Range(0, perWriter).Select(i => (IRoomEvent)new DisplayNameChanged("p", $"name {i}", null, DateTimeOffset.UtcNow)).ToList();
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(w =>
        WriteAsync(system, $"write-{run}-{writers}-{w}", events, batch: 1, snapshotEvery: 0, roomId: null)));
    var total = writers * perWriter;
    Console.WriteLine($"write rate, {writers} room(s) x {perWriter} events, one Persist at a time each: {total / watch.Elapsed.TotalSeconds:F0} events/s ({total} in {watch.Elapsed.TotalSeconds:F1} s)");
}

await host.StopAsync();
return 0;

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static IEnumerable<IRoomEvent> RoomEvents(string roomId)
{
    var at = DateTimeOffset.UtcNow;
    var device = JsonDocument.Parse("""{"flag":"chrome","name":"Chrome","version":"156"}""").RootElement;
    var appData = JsonDocument.Parse("{}").RootElement;
    var rtpParameters = JsonDocument.Parse("""
        {"mid":"0","codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2,
         "parameters":{"minptime":10,"useinbandfec":1},"rtcpFeedback":[{"type":"transport-cc"}]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":1}],"encodings":[{"ssrc":11111111,"dtx":true}],
         "rtcp":{"cname":"abcdefgh","reducedSize":true}}
        """).RootElement;
    yield return new RoomCreated(roomId, 0, at);
    for (var p = 0; p < Peers; p++)
    {
        yield return new PeerConnected($"peer{p}", "127.0.0.1", at);
        yield return new PeerJoined($"peer{p}", $"Peer {p}", device, null, null, at);
        yield return new TransportCreated($"peer{p}", $"t{p}", false, true, false, null, at);
        yield return new ProducerCreated($"peer{p}", $"mic{p}", $"t{p}", "audio", "simple", rtpParameters, appData, false, at);
    }
    // The rest: what a long call accumulates (mute/unmute, name changes).
    for (var n = 1 + Peers * 4; n < Events; n++)
    {
        var p = n % Peers;
        yield return (n % 3) switch
        {
            0 => new ProducerPaused($"peer{p}", $"mic{p}", at),
            1 => new ProducerResumed($"peer{p}", $"mic{p}", at),
            _ => new DisplayNameChanged($"peer{p}", $"Peer {p} ({n})", $"Peer {p}", at),
        };
    }
}

static async Task WriteAsync(ActorSystem system, string persistenceId, IReadOnlyList<IRoomEvent> events, int batch, int snapshotEvery, string? roomId)
{
    var writer = system.ActorOf(Props.Create(() => new JournalWriter(persistenceId, roomId)));
    await writer.Ask<Done>(new Write(events, batch, snapshotEvery), TimeSpan.FromMinutes(10));
    await writer.GracefulStop(TimeSpan.FromSeconds(10));
}

sealed record Write(IReadOnlyList<IRoomEvent> Events, int Batch, int SnapshotEvery);

sealed record Done;

/// <summary>
/// Batch > 1: one PersistAll per batch, all issued at once (bulk load), saving a snapshot of the
/// folded room state every N events and answering once every snapshot is stored. Batch 1: one
/// Persist after the other, each waiting for the previous, as a room does with its commands.
/// </summary>
sealed class JournalWriter : ReceivePersistentActor
{
    private sealed record Next(int Index);

    private readonly string _persistenceId;
    private RoomState? _state;
    private Write? _write;
    private IActorRef? _replyTo;
    private int _pendingWrites;
    private int _pendingSnapshots;

    public JournalWriter(string persistenceId, string? roomId)
    {
        _persistenceId = persistenceId;
        _state = roomId is null ? null : RoomState.Empty(roomId);
        Command<Write>(write =>
        {
            _write = write;
            _replyTo = Sender;
            if (write.Batch == 1)
            {
                Self.Tell(new Next(0));
                return;
            }
            var chunks = write.Events.Chunk(write.Batch).ToList();
            _pendingWrites = write.Events.Count;
            foreach (var chunk in chunks)
                PersistAll(chunk, Persisted);
        });
        Command<Next>(next => Persist(_write!.Events[next.Index], e =>
        {
            if (next.Index + 1 < _write.Events.Count)
                Self.Tell(new Next(next.Index + 1));
            else
                _replyTo!.Tell(new Done());
        }));
        Command<SaveSnapshotSuccess>(_ =>
        {
            _pendingSnapshots--;
            ReplyIfDone();
        });
        Command<SaveSnapshotFailure>(f => Console.Error.WriteLine($"snapshot failed: {f.Cause.Message}"));
    }

    public override string PersistenceId => _persistenceId;

    private void Persisted(IRoomEvent e)
    {
        _state = _state?.Apply(e);
        if (_state is not null && _write!.SnapshotEvery > 0 && LastSequenceNr % _write.SnapshotEvery == 0)
        {
            _pendingSnapshots++;
            SaveSnapshot(_state);
        }
        _pendingWrites--;
        ReplyIfDone();
    }

    private void ReplyIfDone()
    {
        if (_pendingWrites == 0 && _pendingSnapshots == 0)
            _replyTo!.Tell(new Done());
    }
}
