using Akka.Configuration;
using SfuHost;

namespace Host.Tests;

public sealed class JournalConfigTests
{
    [Fact]
    public void Sqlite_is_the_default_and_the_grace_period_is_30_seconds()
    {
        var config = ServerConfig.Load(overrides: "server.data-dir = \"/tmp/sfu-config-test\"");
        Assert.Equal("sqlite", config.PersistenceProvider);
        Assert.Equal("Data Source=/tmp/sfu-config-test/sfu.db", config.JournalConnectionString);
        Assert.Equal(TimeSpan.FromSeconds(30), config.RejoinGracePeriod);
    }

    [Fact]
    public void Postgresql_needs_a_connection_string_and_its_password_stays_out_of_descriptions()
    {
        var error = Assert.Throws<ConfigurationException>(() => ServerConfig.Load(overrides: "server.persistence.provider = postgresql"));
        Assert.Contains("SFU_JOURNAL_CONNECTION_STRING", error.Message);

        var config = ServerConfig.Load(overrides: """
            server.persistence { provider = postgresql, connection-string = "Host=db;Username=sfu;Password=s3cret;Database=sfu" }
            server.room.rejoin-grace-period = 1500ms
            """);
        Assert.Equal("postgresql Host=db;Username=sfu;Password=***;Database=sfu", config.JournalDescription);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), config.RejoinGracePeriod);
    }
}
