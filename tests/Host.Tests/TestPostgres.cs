using Npgsql;

namespace Host.Tests;

/// <summary>
/// The PostgreSQL server the journal tests use (scripts/start-postgres.sh, run by test.sh, starts
/// it): every test gets a database of its own, so rooms and the open-rooms directory never mix.
/// </summary>
public static class TestPostgres
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("SFU_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=sfu_test;Password=sfu_test;Database=sfu_test";

    /// <returns>The new database's connection string.</returns>
    public static async Task<string> NewDatabaseAsync()
    {
        var name = "sfu_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable with \"{AdminConnectionString}\" ({e.Message}): ./scripts/start-postgres.sh installs and starts it", e);
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="NewDatabaseAsync"/>, even with a server's pooled connections still open.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public static string JournalConfig(string connectionString) =>
        $"server.persistence {{ provider = \"postgresql\", connection-string = {System.Text.Json.JsonSerializer.Serialize(connectionString)} }}";
}
