using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace SfuHost.Persistence;

/// <summary>
/// One thread and one connection that append journal rows: every write waiting when it comes round
/// goes into one transaction (one fsync for all the rooms that wrote meanwhile). A write that fails
/// fails alone: after a failed transaction each write is tried again in its own.
/// </summary>
public sealed class SqliteJournalWriter : IDisposable
{
    private sealed record PendingWrite(IReadOnlyList<IReadOnlyList<JournalRow>> Groups, TaskCompletionSource<Exception?[]> Done);

    private readonly BlockingCollection<PendingWrite> _pending = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _insertTag;
    private readonly Thread _thread;

    public SqliteJournalWriter(string connectionString)
    {
        // While the snapshot store writes, it waits on SQLite's busy handler (see SqliteJournalSchema.Open).
        _connection = SqliteJournalSchema.Open(connectionString);
        _insertEvent = _connection.CreateCommand();
        _insertEvent.CommandText = """
            INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid)
            VALUES ($created, 0, $persistenceId, $sequenceNr, $message, $manifest, $serializerId, $writer) RETURNING ordering
            """;
        foreach (var name in new[] { "$created", "$persistenceId", "$sequenceNr", "$message", "$manifest", "$serializerId", "$writer" })
            _insertEvent.Parameters.Add(new SqliteParameter { ParameterName = name });
        _insertTag = _connection.CreateCommand();
        _insertTag.CommandText = "INSERT INTO tags (ordering_id, tag, sequence_nr, persistence_id) VALUES ($ordering, $tag, $sequenceNr, $persistenceId)";
        foreach (var name in new[] { "$ordering", "$tag", "$sequenceNr", "$persistenceId" })
            _insertTag.Parameters.Add(new SqliteParameter { ParameterName = name });
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-journal-writer" };
        _thread.Start();
    }

    /// <summary>Appends each group of rows atomically; the result holds, per group, null once it is committed or why it was not.</summary>
    public Task<Exception?[]> WriteAsync(IReadOnlyList<IReadOnlyList<JournalRow>> groups)
    {
        // Continuations run on the thread pool: nothing they do can hold up the next commit.
        var done = new TaskCompletionSource<Exception?[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _pending.Add(new PendingWrite(groups, done));
        }
        catch (InvalidOperationException)
        {
            done.SetException(new ObjectDisposedException(nameof(SqliteJournalWriter)));
        }
        return done.Task;
    }

    private void Run()
    {
        var batch = new List<PendingWrite>();
        foreach (var first in _pending.GetConsumingEnumerable())
        {
            batch.Add(first);
            while (_pending.TryTake(out var more))
                batch.Add(more);
            Write(batch);
            batch.Clear();
        }
    }

    private void Write(List<PendingWrite> batch)
    {
        try
        {
            InTransaction(batch.SelectMany(write => write.Groups));
            foreach (var write in batch)
                write.Done.SetResult(new Exception?[write.Groups.Count]);
        }
        catch (Exception)
        {
            foreach (var write in batch)
                write.Done.SetResult(write.Groups.Select(group => TryAlone(group)).ToArray());
        }
    }

    private Exception? TryAlone(IReadOnlyList<JournalRow> group)
    {
        try
        {
            InTransaction([group]);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private void InTransaction(IEnumerable<IReadOnlyList<JournalRow>> groups)
    {
        using var transaction = _connection.BeginTransaction();
        _insertEvent.Transaction = transaction;
        _insertTag.Transaction = transaction;
        foreach (var group in groups)
        {
            foreach (var row in group)
                Insert(row);
        }
        transaction.Commit();
    }

    private void Insert(JournalRow row)
    {
        var parameters = _insertEvent.Parameters;
        parameters[0].Value = row.Created;
        parameters[1].Value = row.PersistenceId;
        parameters[2].Value = row.SequenceNr;
        parameters[3].Value = row.Message;
        parameters[4].Value = row.Manifest;
        parameters[5].Value = row.SerializerId;
        parameters[6].Value = (object?)row.WriterGuid ?? DBNull.Value;
        var ordering = (long)_insertEvent.ExecuteScalar()!;
        foreach (var tag in row.Tags)
        {
            _insertTag.Parameters[0].Value = ordering;
            _insertTag.Parameters[1].Value = tag;
            _insertTag.Parameters[2].Value = row.SequenceNr;
            _insertTag.Parameters[3].Value = row.PersistenceId;
            _insertTag.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _pending.CompleteAdding();
        _thread.Join();
        _insertEvent.Dispose();
        _insertTag.Dispose();
        _connection.Dispose();
    }
}
