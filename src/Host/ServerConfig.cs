using System.Globalization;
using System.Text.RegularExpressions;
using Actors.Rooms;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using System.Net;
using MediaEngine.Rtp;
using MediaEngine.Dtls;
using MediaEngine.Transports;
using MediaEngine.Workers;
using Signaling;

namespace SfuHost;

/// <summary>hocon/server.conf, typed, with the environment variables of <see cref="EnvironmentVariables"/> on top.</summary>
public sealed record ServerConfig(
    string DataDir,
    string HttpsListenIp,
    int HttpsListenPort,
    string? TlsCertPath,
    string? TlsKeyPath,
    bool HttpEnabled,
    string HttpListenIp,
    int HttpListenPort,
    string PersistenceProvider,
    string JournalConnectionString,
    int SnapshotEvery,
    string? NetworkThrottleSecret,
    string LogLevel,
    IReadOnlyList<RtpCodecCapability> MediaCodecs,
    MediaEngineSettings Media,
    TimeSpan IceConsentTimeout,
    Config AkkaConfig)
{
    /// <summary>server.room.rejoin-grace-period: after a recovery, how long a room waits for its members to come back.</summary>
    public TimeSpan RejoinGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>server.mediasoup.webrtc-transport-options.initial-available-outgoing-bitrate.</summary>
    public uint InitialAvailableOutgoingBitrate { get; init; } = Transport.DefaultInitialAvailableOutgoingBitrate;

    /// <summary>server.mediasoup.webrtc-transport-options.max-incoming-bitrate: set on every peer's transport; 0: no limit.</summary>
    public uint MaxIncomingBitrate { get; init; }

    /// <summary>server.room.member-limits: what one peer or broadcaster may have at once.</summary>
    public MemberLimits MemberLimits { get; init; } = new();

    /// <summary>server.auth.key: the key access tokens are signed with; null: no tokens (anyone may join anything, as in mediasoup-demo).</summary>
    public string? AuthKey { get; init; }

    /// <summary>server.auth.operator-routes-on-loopback: history and metrics need no admin token on a connection to a loopback address.</summary>
    public bool OperatorRoutesOnLoopback { get; init; } = true;

    /// <summary>server.room.max-peers: protoo peers connected to one room at once.</summary>
    public int MaxPeersPerRoom { get; init; } = 500;

    /// <summary>server.max-rooms: rooms open on this server at once.</summary>
    public int MaxRooms { get; init; } = 1000;

    /// <summary>server.max-broadcasters: broadcasters of all rooms on this server at once.</summary>
    public int MaxBroadcasters { get; init; } = 1000;

    /// <summary>server.max-plain-transports: plain transports (each holding RTC ports) of all rooms on this server at once.</summary>
    public int MaxPlainTransports { get; init; } = 2000;

    /// <summary>server.cluster: null when this server runs on its own.</summary>
    public ClusterSettings? Cluster { get; init; }

    /// <summary>server.client-limits: what one protoo or HTTP client may cost.</summary>
    public ClientLimits ClientLimits { get; init; } = new();

    /// <summary>The journal for logs and messages: provider and connection string without its password.</summary>
    public string JournalDescription =>
        $"{PersistenceProvider} {Regex.Replace(JournalConnectionString, "(?i)(password|pwd)=[^;]*", "$1=***")}";

    public static string DefaultConfigDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <param name="configDirectory">Folder with server.conf and akka.conf (default: hocon/ beside the executable).</param>
    /// <param name="overrides">HOCON that takes precedence over server.conf (tests use it for ports and data-dir).</param>
    public static ServerConfig Load(string? configDirectory = null, string? overrides = null)
    {
        var directory = configDirectory ?? Environment.GetEnvironmentVariable("SFU_CONFIG_DIR") ?? DefaultConfigDirectory;
        var server = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(directory, "server.conf")));
        var environment = EnvironmentOverrides();
        if (environment.Length > 0)
            server = ConfigurationFactory.ParseString(environment).WithFallback(server);
        if (!string.IsNullOrWhiteSpace(overrides))
            server = ConfigurationFactory.ParseString(overrides).WithFallback(server);
        var akka = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(directory, "akka.conf")));

        var dataDir = Path.GetFullPath(server.GetString("server.data-dir", "data"));
        var provider = server.GetString("server.persistence.provider", "sqlite");
        var connectionString = server.GetString("server.persistence.connection-string", "");
        if (string.IsNullOrEmpty(connectionString))
        {
            connectionString = provider == "sqlite"
                ? $"Data Source={Path.Combine(dataDir, "sfu.db")}"
                : throw new ConfigurationException($"server.persistence.connection-string (env SFU_JOURNAL_CONNECTION_STRING) is required for provider \"{provider}\"");
        }

        return new ServerConfig(
            dataDir,
            server.GetString("server.https.listen-ip", "0.0.0.0"),
            server.GetInt("server.https.listen-port", 4443),
            NullIfEmpty(server.GetString("server.https.tls.cert", "")),
            NullIfEmpty(server.GetString("server.https.tls.key", "")),
            server.GetBoolean("server.http.enabled", true),
            server.GetString("server.http.listen-ip", "0.0.0.0"),
            server.GetInt("server.http.listen-port", 8888),
            provider,
            connectionString,
            server.GetInt("server.room.snapshot-every", 100),
            NullIfEmpty(server.GetString("server.network-throttle-secret", "")),
            server.GetString("server.log.level", "Information"),
            ParseMediaCodecs(server.GetValue("server.mediasoup.router-options.media-codecs")),
            new MediaEngineSettings(
                server.GetInt("server.mediasoup.num-workers", 0),
                IPAddress.Parse(server.GetString("server.mediasoup.listen-ip", "0.0.0.0")),
                server.GetString("server.mediasoup.announced-address", "127.0.0.1"),
                server.GetBoolean("server.mediasoup.use-webrtc-server", true),
                server.GetInt("server.mediasoup.webrtc-server-options.port", 44444),
                server.GetInt("server.mediasoup.worker-settings.rtc-min-port", 40000),
                server.GetInt("server.mediasoup.worker-settings.rtc-max-port", 49999),
                LoopbackPeersOnly: server.GetBoolean("server.mediasoup.loopback-peers-only", false),
                SctpLossInjection: server.GetDouble("server.mediasoup.sctp-loss-injection", 0),
                RtpLossInjection: server.GetDouble("server.mediasoup.rtp-loss-injection", 0),
                RtpReceiveLossInjection: server.GetDouble("server.mediasoup.rtp-receive-loss-injection", 0),
                DtlsHandshakeThreads: server.GetInt("server.mediasoup.dtls-handshake-threads", DtlsHandshakePool.DefaultMaxThreads)),
            TimeSpan.FromSeconds(server.GetInt("server.mediasoup.webrtc-transport-options.ice-consent-timeout", 20)),
            akka)
        {
            RejoinGracePeriod = server.GetTimeSpan("server.room.rejoin-grace-period", TimeSpan.FromSeconds(30)),
            InitialAvailableOutgoingBitrate = checked((uint)server.GetLong("server.mediasoup.webrtc-transport-options.initial-available-outgoing-bitrate", Transport.DefaultInitialAvailableOutgoingBitrate)),
            MaxIncomingBitrate = checked((uint)server.GetLong("server.mediasoup.webrtc-transport-options.max-incoming-bitrate", 0)),
            MemberLimits = new MemberLimits(
                server.GetInt("server.room.member-limits.transports", 16),
                server.GetInt("server.room.member-limits.producers", 32),
                server.GetInt("server.room.member-limits.data-producers", 32),
                server.GetInt("server.room.member-limits.restart-ice-per-minute", 30),
                server.GetInt("server.room.member-limits.consumers", 1000),
                server.GetInt("server.room.member-limits.data-consumers", 1000)),
            MaxPeersPerRoom = server.GetInt("server.room.max-peers", 500),
            AuthKey = NullIfEmpty(server.GetString("server.auth.key", "")),
            OperatorRoutesOnLoopback = server.GetBoolean("server.auth.operator-routes-on-loopback", true),
            MaxRooms = server.GetInt("server.max-rooms", 1000),
            MaxBroadcasters = server.GetInt("server.max-broadcasters", 1000),
            MaxPlainTransports = server.GetInt("server.max-plain-transports", 2000),
            Cluster = server.GetBoolean("server.cluster.enabled", false)
                ? new ClusterSettings(
                    server.GetString("server.cluster.hostname", "127.0.0.1"),
                    server.GetInt("server.cluster.port", 4053),
                    SeedNodes(server.GetValue("server.cluster.seed-nodes")))
                : null,
            ClientLimits = new ClientLimits(
                server.GetInt("server.client-limits.max-message-bytes", 960_000),
                server.GetLong("server.client-limits.send-queue-bytes", 8 * 1024 * 1024),
                server.GetInt("server.client-limits.id-max-length", 128),
                server.GetInt("server.client-limits.text-max-length", 256),
                server.GetInt("server.client-limits.small-json-max-bytes", 4096),
                server.GetInt("server.client-limits.large-json-max-bytes", 65_536),
                server.GetInt("server.client-limits.requests-per-second", 50),
                server.GetInt("server.client-limits.request-burst", 200),
                server.GetInt("server.client-limits.connections-per-address", 100),
                server.GetInt("server.client-limits.http-requests-per-second", 100),
                server.GetInt("server.client-limits.history-page-max", 1000)),
        };
    }

    /// <summary>Environment variable → server.conf path (the names mediasoup-demo's config.js reads, where it has one).</summary>
    public static readonly IReadOnlyDictionary<string, string> EnvironmentVariables = new Dictionary<string, string>
    {
        ["SFU_DATA_DIR"] = "server.data-dir",
        ["PROTOO_LISTEN_IP"] = "server.https.listen-ip",
        ["PROTOO_LISTEN_PORT"] = "server.https.listen-port",
        ["HTTPS_CERT_FULLCHAIN"] = "server.https.tls.cert",
        ["HTTPS_CERT_PRIVKEY"] = "server.https.tls.key",
        ["HTTP_LISTEN_IP"] = "server.http.listen-ip",
        ["HTTP_LISTEN_PORT"] = "server.http.listen-port",
        ["SFU_JOURNAL_PROVIDER"] = "server.persistence.provider",
        ["SFU_JOURNAL_CONNECTION_STRING"] = "server.persistence.connection-string",
        ["NETWORK_THROTTLE_SECRET"] = "server.network-throttle-secret",
        ["SFU_LOG_LEVEL"] = "server.log.level",
        ["SFU_CONNECTIONS_PER_ADDRESS"] = "server.client-limits.connections-per-address",
        ["SFU_AUTH_KEY"] = "server.auth.key",
        ["SFU_CLUSTER"] = "server.cluster.enabled",
        ["SFU_CLUSTER_HOST"] = "server.cluster.hostname",
        ["SFU_CLUSTER_PORT"] = "server.cluster.port",
        ["SFU_CLUSTER_SEEDS"] = "server.cluster.seed-nodes",
        ["MEDIASOUP_NUM_WORKERS"] = "server.mediasoup.num-workers",
        ["MEDIASOUP_MIN_PORT"] = "server.mediasoup.worker-settings.rtc-min-port",
        ["MEDIASOUP_MAX_PORT"] = "server.mediasoup.worker-settings.rtc-max-port",
        ["MEDIASOUP_USE_WEBRTC_SERVER"] = "server.mediasoup.use-webrtc-server",
        ["MEDIASOUP_LISTEN_IP"] = "server.mediasoup.listen-ip",
        ["MEDIASOUP_ANNOUNCED_IP"] = "server.mediasoup.announced-address",
        ["MEDIASOUP_WEBRTC_SERVER_PORT"] = "server.mediasoup.webrtc-server-options.port",
    };

    private static string EnvironmentOverrides() => string.Join('\n', EnvironmentVariables
        .Select(pair => (Path: pair.Value, Value: Environment.GetEnvironmentVariable(pair.Key)))
        .Where(pair => !string.IsNullOrEmpty(pair.Value))
        .Select(pair => $"{pair.Path} = {System.Text.Json.JsonSerializer.Serialize(pair.Value)}"));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>A list of host:port, or one comma-separated string of them (as the environment gives it).</summary>
    private static IReadOnlyList<string> SeedNodes(HoconValue? value)
    {
        if (value is null || value.IsEmpty)
            return [];
        var entries = value.IsArray() ? value.GetArray().Select(v => v.GetString()) : value.GetString().Split(',');
        var seeds = entries.Select(e => e.Trim()).Where(e => e.Length > 0).ToList();
        foreach (var seed in seeds)
        {
            if (!System.Net.IPEndPoint.TryParse(seed, out _) && !Regex.IsMatch(seed, @"^[A-Za-z0-9.-]+:\d{1,5}$"))
                throw new ConfigurationException($"server.cluster.seed-nodes: \"{seed}\" is not host:port");
        }
        return seeds;
    }

    private static IReadOnlyList<RtpCodecCapability> ParseMediaCodecs(HoconValue? codecs)
    {
        if (codecs is null || !codecs.IsArray())
            throw new ConfigurationException("server.mediasoup.router-options.media-codecs must be a list");
        return codecs.GetArray().Select(ParseMediaCodec).ToList();
    }

    private static RtpCodecCapability ParseMediaCodec(HoconValue value)
    {
        var items = value.GetObject().Items;
        string Required(string key) =>
            items.TryGetValue(key, out var v) ? v.GetString() : throw new ConfigurationException($"media codec without {key}");
        var codec = new RtpCodecCapability
        {
            Kind = Required("kind"),
            MimeType = Required("mimeType"),
            ClockRate = int.Parse(Required("clockRate"), CultureInfo.InvariantCulture),
            Channels = items.TryGetValue("channels", out var channels) ? int.Parse(channels.GetString(), CultureInfo.InvariantCulture) : null,
            PreferredPayloadType = items.TryGetValue("preferredPayloadType", out var pt) ? int.Parse(pt.GetString(), CultureInfo.InvariantCulture) : null,
        };
        if (items.TryGetValue("parameters", out var parameters))
        {
            foreach (var (key, parameter) in parameters.GetObject().Items)
                codec.Parameters[key] = CodecParameterValue(key, parameter.GetString());
        }
        return codec;
    }

    /// <summary>HOCON keeps no quoting, so digits become numbers, except for hex profile ids.</summary>
    private static object CodecParameterValue(string key, string text) =>
        key != "profile-level-id" && Regex.IsMatch(text, "^-?(0|[1-9][0-9]*)$")
            ? long.Parse(text, CultureInfo.InvariantCulture)
            : text;
}

/// <summary>server.cluster: this node's cluster endpoint and the seed nodes, each host:port.</summary>
public sealed record ClusterSettings(string Hostname, int Port, IReadOnlyList<string> SeedNodes);
