using Actors.Media;
using Actors.Persistence;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;

namespace SfuHost;

/// <summary>The one place that configures the actor system, for the server and the replay command alike.</summary>
public static class AkkaSetup
{
    public const string SystemName = "sfu";

    /// <param name="rooms">The room settings; null for tools that only read the journal.</param>
    public static AkkaConfigurationBuilder Configure(AkkaConfigurationBuilder builder, ServerConfig config, RoomSettings? rooms)
    {
        if (config.PersistenceProvider == "sqlite")
            Directory.CreateDirectory(config.DataDir);

        builder
            .AddHocon(config.AkkaConfig, HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLogger<SerilogLogger>();
            })
            .WithCustomSerializer("room-json", RoomEventSerializer.BoundTypes, system => new RoomEventSerializer(system))
            .WithSqlPersistence(
                connectionString: config.JournalConnectionString,
                providerName: ProviderNameFor(config.PersistenceProvider),
                autoInitialize: true);

        if (rooms is not null)
        {
            builder.WithActors((system, registry) =>
            {
                var media = system.ActorOf(MediaWorkersActor.Props(config.Media), "media");
                registry.Register<MediaWorkersActor>(media);
                registry.Register<RoomManagerActor>(system.ActorOf(RoomManagerActor.Props(rooms with { MediaWorkers = media }), "rooms"));
            });
        }
        return builder;
    }

    private static string ProviderNameFor(string provider) => provider switch
    {
        "sqlite" => ProviderName.SQLiteMS,
        "postgresql" => ProviderName.PostgreSQL15,
        _ => throw new ArgumentException($"unknown persistence provider \"{provider}\" (supported: sqlite, postgresql)"),
    };
}
