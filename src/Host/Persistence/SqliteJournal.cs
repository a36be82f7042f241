using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Microsoft.Data.Sqlite;

namespace SfuHost.Persistence;

/// <summary>
/// The default SQLite journal: the rows of Akka.Persistence.Sql's <c>journal</c> table (so its read
/// journal, the history endpoint and replay read them as before), written by one
/// <see cref="SqliteJournalWriter"/> that commits whatever every room has waiting in one transaction.
/// Akka.Persistence.Sql spent more CPU building each batch's SQL than SQLite spent writing it.
/// </summary>
public sealed class SqliteJournal : AsyncWriteJournal
{
    private readonly string _connectionString;
    private readonly SqliteJournalWriter _writer;
    private readonly Akka.Serialization.Serialization _serialization;

    /// <summary>
    /// The journal as the default plugin. Its reads (replay, highest sequence number, deletion) are
    /// SQLite calls that block, so they run on a dispatcher of their own, not on the thread pool the
    /// rooms and sessions share.
    /// </summary>
    public static string Configuration(string connectionString) => $$"""
        akka.persistence.journal.plugin = "akka.persistence.journal.sqlite"
        akka.persistence.journal.auto-start-journals = ["akka.persistence.journal.sqlite"]
        akka.persistence.journal.sqlite {
          class = "{{typeof(SqliteJournal).AssemblyQualifiedName}}"
          plugin-dispatcher = "sqlite-journal-dispatcher"
          connection-string = {{System.Text.Json.JsonSerializer.Serialize(connectionString)}}
        }
        sqlite-journal-dispatcher {
          type = ForkJoinDispatcher
          throughput = 100
          dedicated-thread-pool.thread-count = 2
        }
        """;

    public SqliteJournal(Config config)
    {
        _connectionString = config.GetString("connection-string");
        SqliteJournalSchema.Create(_connectionString);
        _writer = new SqliteJournalWriter(_connectionString);
        _serialization = Context.System.Serialization;
    }

    protected override void PostStop()
    {
        _writer.Dispose();
        base.PostStop();
    }

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var results = new List<Exception?>();
        var groups = new List<IReadOnlyList<JournalRow>>();
        var created = DateTime.UtcNow.Ticks;
        foreach (var write in messages)
        {
            try
            {
                var rows = ((IImmutableList<IPersistentRepresentation>)write.Payload).Select(message => ToRow(message, created)).ToList();
                groups.Add(rows);
                results.Add(null);
            }
            catch (Exception e)
            {
                // A payload that cannot be serialized is rejected alone: the journal carries on.
                results.Add(e);
            }
        }
        if (groups.Count > 0 && (await _writer.WriteAsync(groups)).FirstOrDefault(outcome => outcome is not null) is { } failure)
            throw new InvalidOperationException("journal write failed", failure);
        return results.Any(r => r is not null) ? results.ToImmutableList() : null!;
    }

    private JournalRow ToRow(IPersistentRepresentation message, long created)
    {
        var payload = message.Payload;
        IReadOnlyCollection<string> tags = [];
        if (payload is Tagged tagged)
        {
            payload = tagged.Payload;
            tags = tagged.Tags;
        }
        var serializer = _serialization.FindSerializerForType(payload.GetType());
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, payload);
        var bytes = Akka.Serialization.Serialization.WithTransport(_serialization.System, () => serializer.ToBinary(payload));
        return new JournalRow(message.PersistenceId, message.SequenceNr, created, bytes, manifest, serializer.Identifier, message.WriterGuid, tags);
    }

    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        if (max <= 0)
            return;
        await using var connection = SqliteJournalSchema.Open(_connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence_number, created, message, manifest, identifier, writer_uuid FROM journal
            WHERE persistence_id = $id AND sequence_number >= $from AND sequence_number <= $to AND deleted = 0
            ORDER BY sequence_number LIMIT $max
            """;
        command.Parameters.AddWithValue("$id", persistenceId);
        command.Parameters.AddWithValue("$from", fromSequenceNr);
        command.Parameters.AddWithValue("$to", toSequenceNr);
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var manifest = reader.IsDBNull(3) ? "" : reader.GetString(3);
            var payload = _serialization.Deserialize((byte[])reader.GetValue(2), reader.GetInt32(4), manifest);
            recoveryCallback(new Persistent(payload, reader.GetInt64(0), persistenceId, manifest, isDeleted: false, ActorRefs.NoSender,
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(1)));
        }
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        await using var connection = SqliteJournalSchema.Open(_connectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(sequence_number) FROM journal WHERE persistence_id = $id";
        command.Parameters.AddWithValue("$id", persistenceId);
        return await command.ExecuteScalarAsync() is long highest ? highest : 0;
    }

    /// <summary>As Akka.Persistence.Sql: marked deleted, and every row but the highest of them removed, so the highest sequence number stays known.</summary>
    protected override async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken)
    {
        await using var connection = SqliteJournalSchema.Open(_connectionString);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using (var mark = connection.CreateCommand())
        {
            mark.CommandText = "UPDATE journal SET deleted = 1 WHERE persistence_id = $id AND sequence_number <= $to";
            mark.Parameters.AddWithValue("$id", persistenceId);
            mark.Parameters.AddWithValue("$to", toSequenceNr);
            await mark.ExecuteNonQueryAsync();
        }
        await using (var remove = connection.CreateCommand())
        {
            remove.CommandText = """
                DELETE FROM journal WHERE persistence_id = $id AND deleted = 1 AND sequence_number <
                  (SELECT max(sequence_number) FROM journal WHERE persistence_id = $id AND deleted = 1)
                """;
            remove.Parameters.AddWithValue("$id", persistenceId);
            await remove.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}
