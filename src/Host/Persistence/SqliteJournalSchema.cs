using Microsoft.Data.Sqlite;

namespace SfuHost.Persistence;

/// <summary>
/// The journal and tags tables exactly as Akka.Persistence.Sql creates them, so its read journal and
/// older databases work unchanged, in a database with SQLite's write-ahead log: replays read while the
/// writer commits (with a rollback journal, readers and the writer lock each other out).
/// </summary>
public static class SqliteJournalSchema
{
    public static void Create(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS [journal]
            (
            	[ordering]        INTEGER        NOT NULL PRIMARY KEY AUTOINCREMENT,
            	[created]         INTEGER        NOT NULL,
            	[deleted]         Bit            NOT NULL,
            	[persistence_id]  NVarChar(255)  NOT NULL,
            	[sequence_number] INTEGER        NOT NULL,
            	[message]         VarBinary      NOT NULL,
            	[manifest]        NVarChar(500)      NULL,
            	[identifier]      INTEGER            NULL,
            	[writer_uuid]     NVarChar(128)      NULL
            );
            CREATE UNIQUE INDEX IF NOT EXISTS journal_uq ON journal (persistence_id, sequence_number);
            CREATE INDEX IF NOT EXISTS journal_created_idx ON journal (created);
            CREATE INDEX IF NOT EXISTS journal_sequence_number_idx ON journal (sequence_number);
            CREATE TABLE IF NOT EXISTS [tags]
            (
            	[ordering_id]    INTEGER       NOT NULL,
            	[tag]            NVarChar(64)  NOT NULL,
            	[sequence_nr]    INTEGER       NOT NULL,
            	[persistence_id] NVarChar(255) NOT NULL,
            	CONSTRAINT [PK_tags] PRIMARY KEY ([ordering_id], [tag])
            );
            CREATE INDEX IF NOT EXISTS tags_persistence_id_sequence_nr_idx ON tags (persistence_id, sequence_nr);
            CREATE INDEX IF NOT EXISTS tags_tag_idx ON tags (tag);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// A connection that waits on SQLite's own busy handler (a few milliseconds at a time) rather than
    /// Microsoft.Data.Sqlite's retry, which sleeps 150 ms on the calling thread between tries.
    /// </summary>
    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var busyTimeout = connection.CreateCommand();
        busyTimeout.CommandText = "PRAGMA busy_timeout = 30000";
        busyTimeout.ExecuteNonQuery();
        return connection;
    }
}
