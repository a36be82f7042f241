using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Host.Tests;

/// <summary>
/// Server processes forming one cluster on loopback over a fresh PostgreSQL database (the first node
/// is the seed), and what the cluster tests ask of them. Disposing stops every node still running.
/// </summary>
public sealed class ClusterNodes : IReadOnlyList<HostProcess>, IAsyncDisposable
{
    private readonly List<HostProcess> _nodes = new();
    private readonly int[] _clusterPorts;
    private readonly string _connectionString;

    private ClusterNodes(int[] clusterPorts, string connectionString)
    {
        _clusterPorts = clusterPorts;
        _connectionString = connectionString;
    }

    public static async Task<ClusterNodes> StartAsync(int count, string serverConf = "")
    {
        var connectionString = await TestPostgres.NewDatabaseAsync();
        var nodes = new ClusterNodes([.. Enumerable.Range(0, count).Select(_ => FreeTcpPort())], connectionString);
        var configDir = HostProcess.ConfigDirectory(serverConf);
        try
        {
            foreach (var port in nodes._clusterPorts)
                nodes._nodes.Add(await HostProcess.StartAsync(TestServer.NewDataDir(), configDir, HostPorts.Free(), new Dictionary<string, string>
                {
                    ["SFU_JOURNAL_PROVIDER"] = "postgresql",
                    ["SFU_JOURNAL_CONNECTION_STRING"] = connectionString,
                    ["SFU_CLUSTER"] = "on",
                    ["SFU_CLUSTER_HOST"] = "127.0.0.1",
                    ["SFU_CLUSTER_PORT"] = port.ToString(),
                    ["SFU_CLUSTER_SEEDS"] = $"127.0.0.1:{nodes._clusterPorts[0]}",
                }));
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
        return nodes;
    }

    public HostProcess this[int index] => _nodes[index];

    public int Count => _nodes.Count;

    public int ClusterPort(int index) => _clusterPorts[index];

    public IEnumerator<HostProcess> GetEnumerator() => _nodes.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Waits until every node is up and known to the others as a host of rooms.</summary>
    public Task UntilReadyAsync(HttpClient http) =>
        UntilAsync(async () => Ready(await ViewAsync(http, _nodes[0])) == _nodes.Count, $"{_nodes.Count} nodes up and hosting");

    /// <summary>Opens rooms through node 0 until one lands on node <paramref name="host"/>, closes them all, and gives that room's id.</summary>
    public async Task<string> RoomHostedByAsync(HttpClient http, int host, string prefix)
    {
        var probes = new List<ProtooTestClient>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                probes.Add(await ProtooTestClient.ConnectAsync(_nodes[0].HttpsUri, $"{prefix}-{i}", "probe"));
                var hosted = await HostedRoomsAsync(http, _nodes[host]);
                if (hosted.Count > 0)
                    return hosted[0];
            }
            throw new InvalidOperationException($"none of eight rooms landed on node {host}");
        }
        finally
        {
            foreach (var probe in probes)
                await probe.DisposeAsync();
        }
    }

    public async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within 30 s: {what}\n{string.Join("\n----\n", _nodes.Select(n => n.Output))}");
            await Task.Delay(200);
        }
    }

    /// <summary>The rooms <paramref name="node"/> hosts, as its GET /cluster says.</summary>
    public static async Task<List<string>> HostedRoomsAsync(HttpClient http, HostProcess node) =>
        [.. (await ViewAsync(http, node))["hostedRooms"]!.AsArray().Select(r => r!.GetValue<string>())];

    /// <summary>GET /cluster of <paramref name="node"/>.</summary>
    public static async Task<JsonNode> ViewAsync(HttpClient http, HostProcess node) =>
        JsonNode.Parse(await http.GetStringAsync(new Uri(node.HttpUri, "/cluster")))!;

    public static List<JsonNode> Members(JsonNode view) => [.. view["members"]!.AsArray().Select(m => m!)];

    /// <summary>Members that are up and whose shard region the others know, so rooms may be put there.</summary>
    private static int Ready(JsonNode view) =>
        Members(view).Count(m => m["status"]!.GetValue<string>() == "Up" && m["rooms"] is not null);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_connectionString);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
