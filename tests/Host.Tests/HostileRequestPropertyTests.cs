using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Host.Tests;

/// <summary>
/// Every protoo method, with one field of a valid request replaced by each wrong JSON type, a huge
/// value, or removed (FsCheck picks which): each is answered, the room is not restarted, and the
/// other member notices nothing.
/// </summary>
public sealed class HostileRequestPropertyTests : IAsyncLifetime
{
    private const string RoomId = "hostile";
    private TestServer _server = null!;
    private ProtooTestClient _attacker = null!;
    private ProtooTestClient _witness = null!;
    private Dictionary<string, JsonObject> _templates = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(extraConfig: "server.client-limits.requests-per-second = 0");
        (_attacker, _) = await ProtooTestClient.JoinAsync(_server, RoomId, "mallory", "Mallory");
        (_witness, _) = await ProtooTestClient.JoinAsync(_server, RoomId, "walter", "Walter");
        var transport = await _attacker.RequestOkAsync("createWebRtcTransport", new JsonObject
        {
            ["producing"] = true,
            ["consuming"] = true,
            ["sctpCapabilities"] = new JsonObject { ["numStreams"] = new JsonObject { ["OS"] = 1024, ["MIS"] = 1024 } },
        });
        _templates = Templates(transport!["id"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await _witness.DisposeAsync();
        await _attacker.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Any_field_of_any_request_mistyped_huge_or_missing_is_answered_and_harms_nobody()
    {
        var mutations =
            from method in Gen.Elements(_templates.Keys.Order().ToArray())
            from path in Gen.Elements(PathsOf(_templates[method]).ToArray())
            from replacement in Gen.Elements(Replacements)
            select (Method: method, Path: path, Replacement: replacement);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(mutations.ToArbitrary(), mutation =>
        {
            var data = Mutate(_templates[mutation.Method], mutation.Path, mutation.Replacement);
            var response = _attacker.RequestAsync(mutation.Method, data).GetAwaiter().GetResult();
            return response["response"]?.GetValue<bool>() == true
                && (response["ok"]!.GetValue<bool>() || response["errorReason"] is not null);
        }));

        // The room carried on: both members are there, nobody was told anyone left, and no recovery happened.
        Assert.False(_witness.Closed.IsCompleted);
        await _witness.RequestOkAsync("getRouterRtpCapabilities");
        await _attacker.RequestOkAsync("getRouterRtpCapabilities");
        Assert.True(await _witness.NothingArrivesAsync(m => m["method"]?.GetValue<string>() == "peerClosed", TimeSpan.FromMilliseconds(200)));
        using var http = TestServer.CreateHttpClient();
        var history = await http.GetStringAsync(new Uri(_server.HttpUri, $"/rooms/{RoomId}/history?limit=1000"));
        Assert.DoesNotContain("RoomRecovered", history);
        Assert.DoesNotContain("PeerLeft", history);
    }

    /// <summary>What replaces the field: each JSON type, huge and odd values; null stands for removing it.</summary>
    private static readonly JsonNode?[] Replacements =
    [
        null,
        JsonValue.Create("text"),
        JsonValue.Create(new string('x', 100_000)),
        JsonValue.Create(""),
        JsonValue.Create(0),
        JsonValue.Create(-1),
        JsonValue.Create(4_294_967_296L),
        JsonValue.Create(1e300),
        JsonValue.Create(0.5),
        JsonValue.Create(true),
        new JsonArray(),
        new JsonArray(1, "a", null, new JsonObject()),
        new JsonObject(),
        new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonObject { ["c"] = new JsonArray(new JsonArray(new JsonArray())) } } },
    ];

    private static Dictionary<string, JsonObject> Templates(string transportId)
    {
        JsonObject Id(string name, string value) => new() { [name] = value };
        var opus = new JsonObject { ["mimeType"] = "audio/opus", ["payloadType"] = 100, ["clockRate"] = 48000, ["channels"] = 2 };
        return new Dictionary<string, JsonObject>
        {
            ["getRouterRtpCapabilities"] = new(),
            ["join"] = new()
            {
                ["displayName"] = "M",
                ["device"] = new JsonObject { ["name"] = "Chrome", ["version"] = "156" },
                ["rtpCapabilities"] = new JsonObject { ["codecs"] = new JsonArray(opus.DeepClone()), ["headerExtensions"] = new JsonArray() },
                ["sctpCapabilities"] = new JsonObject { ["numStreams"] = new JsonObject { ["OS"] = 1024, ["MIS"] = 1024 } },
            },
            ["changeDisplayName"] = new() { ["displayName"] = "M2" },
            ["createWebRtcTransport"] = new()
            {
                ["forceTcp"] = false,
                ["producing"] = true,
                ["consuming"] = false,
                ["sctpCapabilities"] = new JsonObject { ["numStreams"] = new JsonObject { ["OS"] = 16, ["MIS"] = 16 } },
            },
            ["connectWebRtcTransport"] = new()
            {
                ["transportId"] = transportId,
                ["dtlsParameters"] = new JsonObject
                {
                    ["role"] = "client",
                    ["fingerprints"] = new JsonArray(new JsonObject { ["algorithm"] = "sha-256", ["value"] = string.Join(':', Enumerable.Repeat("AB", 32)) }),
                },
            },
            ["restartIce"] = Id("transportId", transportId),
            ["getTransportStats"] = Id("transportId", transportId),
            ["produce"] = new()
            {
                ["transportId"] = transportId,
                ["kind"] = "audio",
                ["rtpParameters"] = new JsonObject
                {
                    ["mid"] = "0",
                    ["codecs"] = new JsonArray(opus.DeepClone()),
                    ["headerExtensions"] = new JsonArray(new JsonObject { ["uri"] = "urn:ietf:params:rtp-hdrext:sdes:mid", ["id"] = 1 }),
                    ["encodings"] = new JsonArray(new JsonObject { ["ssrc"] = 1111 }),
                    ["rtcp"] = new JsonObject { ["cname"] = "c", ["reducedSize"] = true },
                },
                ["appData"] = new JsonObject { ["source"] = "mic" },
            },
            ["closeProducer"] = Id("producerId", "p"),
            ["pauseProducer"] = Id("producerId", "p"),
            ["resumeProducer"] = Id("producerId", "p"),
            ["getProducerStats"] = Id("producerId", "p"),
            ["pauseConsumer"] = Id("consumerId", "c"),
            ["resumeConsumer"] = Id("consumerId", "c"),
            ["requestConsumerKeyFrame"] = Id("consumerId", "c"),
            ["getConsumerStats"] = Id("consumerId", "c"),
            ["setConsumerPreferredLayers"] = new() { ["consumerId"] = "c", ["spatialLayer"] = 0, ["temporalLayer"] = 0 },
            ["setConsumerPriority"] = new() { ["consumerId"] = "c", ["priority"] = 1 },
            ["produceData"] = new()
            {
                ["transportId"] = transportId,
                ["sctpStreamParameters"] = new JsonObject { ["streamId"] = 3, ["ordered"] = true },
                ["label"] = "chat",
                ["protocol"] = "",
                ["appData"] = new JsonObject(),
            },
            ["getDataProducerStats"] = Id("dataProducerId", "d"),
            ["getDataConsumerStats"] = Id("dataConsumerId", "d"),
            ["applyNetworkThrottle"] = new() { ["secret"] = "s", ["uplink"] = 1000, ["downlink"] = 1000, ["rtt"] = 10, ["packetLoss"] = 0 },
            ["resetNetworkThrottle"] = new() { ["secret"] = "s" },
            ["noSuchMethod"] = new() { ["x"] = 1 },
        };
    }

    /// <summary>Every field of the request, nested ones too, as a path of names and indexes.</summary>
    private static IEnumerable<object[]> PathsOf(JsonNode node, object[]? prefix = null)
    {
        prefix ??= [];
        if (prefix.Length == 0)
            yield return prefix;
        var children = node switch
        {
            JsonObject o => o.Select(p => ((object)p.Key, p.Value)),
            JsonArray a => a.Select((item, i) => ((object)i, item)),
            _ => [],
        };
        foreach (var (key, child) in children)
        {
            var path = prefix.Append(key).ToArray();
            yield return path;
            if (child is not null)
                foreach (var deeper in PathsOf(child, path))
                    yield return deeper;
        }
    }

    /// <summary>
    /// A copy of the template with the field at <paramref name="path"/> replaced (removed when null).
    /// At the root path, the request's whole data is replaced (an object gets an unknown field instead).
    /// </summary>
    private static JsonNode? Mutate(JsonObject template, object[] path, JsonNode? replacement)
    {
        var copy = template.DeepClone().AsObject();
        if (path.Length == 0)
        {
            if (replacement is not JsonObject)
                return replacement?.DeepClone();
            copy["unexpected"] = replacement.DeepClone();
            return copy;
        }
        JsonNode parent = copy;
        foreach (var step in path[..^1])
            parent = step is string name ? parent[name]! : parent[(int)step]!;
        switch (parent, path[^1])
        {
            case (JsonObject o, string name) when replacement is null:
                o.Remove(name);
                break;
            case (JsonObject o, string name):
                o[name] = replacement.DeepClone();
                break;
            case (JsonArray a, int index) when replacement is null:
                a.RemoveAt(index);
                break;
            case (JsonArray a, int index):
                a[index] = replacement.DeepClone();
                break;
        }
        return copy;
    }
}
