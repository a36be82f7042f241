using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Microsoft.Data.Sqlite;
using SfuHost.Persistence;

namespace Host.Tests;

/// <summary>The lean SQLite journal against real SQLite files: group commits, recovery, rejection, deletion.</summary>
public sealed class SqliteJournalTests
{
    private sealed record Persist(string[] Events);

    private sealed record Persisted(long LastSequenceNr);

    private sealed record DeleteUpTo(long SequenceNr);

    private sealed record GetRecovered;

    private sealed record Recovered(IReadOnlyList<string> Events, long LastSequenceNr);

    /// <summary>An event the serializer cannot write (its property throws): the journal must reject it alone.</summary>
    private sealed class Unwritable
    {
        public string Value => throw new InvalidOperationException("cannot be serialized");
    }

    private sealed class Recorder : ReceivePersistentActor
    {
        private readonly List<string> _events = new();
        private IActorRef? _deleteReplyTo;

        public Recorder(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<string>(_events.Add);
            Command<Persist>(persist =>
            {
                var replyTo = Sender;
                PersistAll(persist.Events, _events.Add);
                DeferAsync("done", _ => replyTo.Tell(new Persisted(LastSequenceNr)));
            });
            Command<Unwritable>(unwritable =>
            {
                var replyTo = Sender;
                Persist(unwritable, _ => { });
                DeferAsync("done", _ => replyTo.Tell(new Persisted(LastSequenceNr)));
            });
            Command<DeleteUpTo>(delete =>
            {
                _deleteReplyTo = Sender;
                DeleteMessages(delete.SequenceNr);
            });
            Command<DeleteMessagesSuccess>(success => _deleteReplyTo!.Tell(success));
            Command<GetRecovered>(_ => Sender.Tell(new Recovered(_events.ToList(), LastSequenceNr)));
        }

        public override string PersistenceId { get; }
    }

    private static ActorSystem NewSystem(string database) => ActorSystem.Create("journal-test", ConfigurationFactory.ParseString($"""
        akka.loglevel = WARNING
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        {SqliteJournal.Configuration($"Data Source={database}")}
        """));

    private static string NewDatabase()
    {
        var directory = TestServer.NewDataDir();
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, "journal.db");
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Many_writers_at_once_recover_their_own_events_in_order_in_a_new_process_state()
    {
        var database = NewDatabase();
        using (var system = NewSystem(database))
        {
            var recorders = Enumerable.Range(0, 50).Select(i => system.ActorOf(Props.Create(() => new Recorder($"r-{i}")))).ToList();
            var writes = recorders.SelectMany((recorder, i) => Enumerable.Range(0, 4).Select(batch =>
                recorder.Ask<Persisted>(new Persist([$"r-{i}:{batch}a", $"r-{i}:{batch}b", $"r-{i}:{batch}c"]), Timeout))).ToList();
            await Task.WhenAll(writes);
            await system.Terminate();
        }

        using (var system = NewSystem(database))
        {
            for (var i = 0; i < 50; i++)
            {
                var recovered = await system.ActorOf(Props.Create(() => new Recorder($"r-{i}"))).Ask<Recovered>(new GetRecovered(), Timeout);
                var index = i;
                Assert.Equal(Enumerable.Range(0, 4).SelectMany(batch => new[] { $"r-{index}:{batch}a", $"r-{index}:{batch}b", $"r-{index}:{batch}c" }), recovered.Events);
                Assert.Equal(12, recovered.LastSequenceNr);
            }
            await system.Terminate();
        }

        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var rows = new SqliteCommand("select count(*), count(distinct ordering), min(created), sum(deleted) from journal", connection);
        await using var reader = await rows.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(600, reader.GetInt64(0));
        Assert.Equal(600, reader.GetInt64(1));
        Assert.True(new DateTime(reader.GetInt64(2), DateTimeKind.Utc) > DateTime.UtcNow.AddMinutes(-5), "created is not the write time in ticks");
        Assert.Equal(0, reader.GetInt64(3));
    }

    [Fact]
    public async Task An_event_that_cannot_be_serialized_is_rejected_alone_and_the_writer_carries_on()
    {
        var database = NewDatabase();
        using (var system = NewSystem(database))
        {
            var recorder = system.ActorOf(Props.Create(() => new Recorder("rejecting")));
            await recorder.Ask<Persisted>(new Persist(["before"]), Timeout);
            await recorder.Ask<Persisted>(new Unwritable(), Timeout);
            Assert.Equal(3, (await recorder.Ask<Persisted>(new Persist(["after"]), Timeout)).LastSequenceNr);
            await system.Terminate();
        }
        using (var system = NewSystem(database))
        {
            var recovered = await system.ActorOf(Props.Create(() => new Recorder("rejecting"))).Ask<Recovered>(new GetRecovered(), Timeout);
            Assert.Equal(["before", "after"], recovered.Events);
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Deleted_events_are_not_replayed_and_the_highest_sequence_number_stays_known()
    {
        var database = NewDatabase();
        using (var system = NewSystem(database))
        {
            var recorder = system.ActorOf(Props.Create(() => new Recorder("deleting")));
            await recorder.Ask<Persisted>(new Persist(["1", "2", "3", "4"]), Timeout);
            await recorder.Ask<DeleteMessagesSuccess>(new DeleteUpTo(4), Timeout);
            await system.Terminate();
        }
        using (var system = NewSystem(database))
        {
            var recorder = system.ActorOf(Props.Create(() => new Recorder("deleting")));
            var recovered = await recorder.Ask<Recovered>(new GetRecovered(), Timeout);
            Assert.Empty(recovered.Events);
            Assert.Equal(4, recovered.LastSequenceNr);
            Assert.Equal(5, (await recorder.Ask<Persisted>(new Persist(["5"]), Timeout)).LastSequenceNr);
            await system.Terminate();
        }
    }
}
