using Actors.Media;
using Actors.Peers;
using Actors.Persistence;
using Actors.Rooms;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using LinqToDB;
using SfuHost.Persistence;

namespace SfuHost;

/// <summary>The one place that configures the actor system, for the server and the replay command alike.</summary>
public static class AkkaSetup
{
    public const string SystemName = "sfu";

    /// <param name="rooms">The room settings; null for tools that only read the journal.</param>
    public static AkkaConfigurationBuilder Configure(AkkaConfigurationBuilder builder, ServerConfig config, RoomSettings? rooms)
    {
        if (config.PersistenceProvider == "sqlite")
        {
            Directory.CreateDirectory(config.DataDir);
            UseWriteAheadLog(config.JournalConnectionString);
        }

        builder
            .AddHocon(config.AkkaConfig, HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLogger<SerilogLogger>();
            })
            .WithCustomSerializer("room-json", RoomEventSerializer.BoundTypes, system => new RoomEventSerializer(system))
            .WithCustomSerializer("session-json", SessionMessageSerializer.BoundTypes, system => new SessionMessageSerializer(system))
            .WithSqlPersistence(
                connectionString: config.JournalConnectionString,
                providerName: ProviderNameFor(config.PersistenceProvider),
                autoInitialize: true)
            // Started with the actor system, not on the first recovery: otherwise a recovering room
            // waits for the snapshot store to start (tables checked, queries prepared) and only
            // then for the journal to do the same.
            .AddHocon("""
                akka.persistence.journal.auto-start-journals = ["akka.persistence.journal.sql"]
                akka.persistence.snapshot-store.auto-start-snapshot-stores = ["akka.persistence.snapshot-store.sql"]
                """, HoconAddMode.Append);
        if (config.PersistenceProvider == "sqlite")
            builder.AddHocon(SqliteJournal.Configuration(config.JournalConnectionString), HoconAddMode.Prepend);

        if (rooms is null)
            return builder;
        // The media workers first: a cluster's shard region may start remembered rooms at once.
        builder.WithActors((system, registry) => registry.Register<MediaWorkersActor>(system.ActorOf(MediaWorkersActor.Props(config.Media), "media")));
        if (config.Cluster is { } cluster)
            JoinCluster(builder, config, cluster, rooms);
        builder.WithActors((system, registry) => registry.Register<RoomManagerActor>(config.Cluster is null
            ? system.ActorOf(RoomManagerActor.Props(rooms with { MediaWorkers = registry.Get<MediaWorkersActor>() }), "rooms")
            : system.ActorOf(ShardedRoomsActor.Props(registry.Get<RoomShardRegion>()), "rooms")));
        return builder;
    }

    /// <summary>The shard region of the rooms, in the actor registry.</summary>
    private sealed class RoomShardRegion;

    /// <summary>
    /// Cluster mode: remoting on this node's endpoint, the seed nodes, a split-brain resolver that
    /// keeps the majority, and the rooms as entities of a shard region that remembers them, so the
    /// rooms of a node that is gone start again on the others from the journal.
    /// </summary>
    private static void JoinCluster(AkkaConfigurationBuilder builder, ServerConfig config, ClusterSettings cluster, RoomSettings rooms)
    {
        if (config.PersistenceProvider != "postgresql")
            throw new Akka.Configuration.ConfigurationException(
                "server.cluster needs the journal every node shares: server.persistence.provider = postgresql (env SFU_JOURNAL_PROVIDER)");
        builder
            .WithRemoting(cluster.Hostname, cluster.Port)
            .WithClustering(new ClusterOptions
            {
                SeedNodes = [.. cluster.SeedNodes.Select(seed => $"akka.tcp://{SystemName}@{seed}")],
                SplitBrainResolver = new KeepMajorityOption(),
            });
        builder.AddHocon("""
            akka.cluster.sharding {
              state-store-mode = ddata
              remember-entities = on
              remember-entities-store = eventsourced
            }
            """, HoconAddMode.Prepend);
        var nodeRooms = new NodeQuota(config.MaxRooms);
        builder.WithActors((system, registry) =>
        {
            var media = registry.Get<MediaWorkersActor>();
            registry.Register<RoomShardRegion>(ClusterSharding.Get(system).Start("rooms",
                roomId => RoomActor.Props(roomId, rooms with { MediaWorkers = media, Sharded = true, NodeRooms = nodeRooms }),
                ClusterShardingSettings.Create(system), new RoomShardMessageExtractor(), new RoomAllocationStrategy(), PoisonPill.Instance));
        });
    }

    /// <summary>
    /// SQLite's write-ahead log (a setting kept in the database file): a commit is one append and
    /// one fsync instead of a rollback journal's several, and readers (replay, history) do not
    /// block the rooms' writes.
    /// </summary>
    private static void UseWriteAheadLog(string connectionString)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL";
        pragma.ExecuteNonQuery();
    }

    private static string ProviderNameFor(string provider) => provider switch
    {
        "sqlite" => ProviderName.SQLiteMS,
        "postgresql" => ProviderName.PostgreSQL15,
        _ => throw new ArgumentException($"unknown persistence provider \"{provider}\" (supported: sqlite, postgresql)"),
    };
}
