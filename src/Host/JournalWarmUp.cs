using System.Diagnostics;
using Npgsql;

namespace SfuHost;

/// <summary>
/// Opens the PostgreSQL journal's connection pool when the server starts. In a cold process the
/// first connection and query take 0.4–0.6 s (Npgsql loads the server's types on it), which every
/// recovering room otherwise waited for (bench/README.md, "kill -9 to media again"); the journal's
/// connections, made with the same connection string, come from the same pool afterwards.
/// </summary>
public static class JournalWarmUp
{
    public static async Task<TimeSpan> RunAsync(string connectionString, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        using var cancel = new CancellationTokenSource(timeout);
        await QueryAsync(connectionString, cancel.Token);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>One round trip to the journal's PostgreSQL (a connection from the pool, SELECT 1); also the readiness check's.</summary>
    public static async Task QueryAsync(string connectionString, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellation);
    }
}
