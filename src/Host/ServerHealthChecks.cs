using System.Text.Json;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SfuHost.Persistence;

namespace SfuHost;

/// <summary>
/// What a load balancer or an orchestrator polls: GET /health/live (the actor system runs) and
/// GET /health/ready (that, the journal answers, and in a cluster this node has joined it).
/// </summary>
public static class ServerHealthChecks
{
    private const string Live = "live";
    private const string Ready = "ready";

    public static void Configure(AkkaConfigurationBuilder akka, ServerConfig config)
    {
        akka.WithActorSystemLivenessCheck(tags: [Live, Ready]);
        if (config.Cluster is not null)
            akka.WithAkkaClusterReadinessCheck(tags: [Ready]);
        akka.WithHealthCheck("journal", async (_, _, cancellation) =>
        {
            try
            {
                await QueryJournalDatabaseAsync(config, cancellation);
                return HealthCheckResult.Healthy($"{config.PersistenceProvider} answers");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy($"{config.PersistenceProvider} does not answer: {e.Message}");
            }
        }, tags: [Ready]);
    }

    public static void Map(WebApplication app)
    {
        app.MapHealthChecks("/health/live", Options(Live));
        app.MapHealthChecks("/health/ready", Options(Ready));
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = registration => registration.Tags.Contains(tag),
        ResponseWriter = async (context, report) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            }));
        },
    };

    private static async Task QueryJournalDatabaseAsync(ServerConfig config, CancellationToken cancellation)
    {
        if (config.PersistenceProvider == "postgresql")
        {
            await JournalWarmUp.QueryAsync(config.JournalConnectionString, cancellation);
            return;
        }
        await using var sqlite = SqliteJournalSchema.Open(config.JournalConnectionString);
        await using var query = sqlite.CreateCommand();
        query.CommandText = "SELECT 1";
        await query.ExecuteScalarAsync(cancellation);
    }
}
