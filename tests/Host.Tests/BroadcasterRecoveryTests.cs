using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SfuHost.Replay;

namespace Host.Tests;

/// <summary>A broadcaster's journaled media (plain transport, producer) replays after a restart; its transports, like peers', do not survive it.</summary>
public sealed class BroadcasterRecoveryTests
{
    private const string RoomId = "broadcaster-recovery";
    private const string Opus = """{"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2}],"encodings":[{"ssrc":1111}]}""";

    private static async Task<RoomState> RoomStateAsync(TestServer server)
    {
        var rooms = server.Services.GetRequiredService<ActorRegistry>().Get<RoomManagerActor>();
        return await rooms.Ask<RoomState>(new RoomRequest(RoomId, GetRoomState.Instance), ProtooTestClient.Timeout);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, TestServer server, string path, string json) =>
        await http.PostAsync(new Uri(server.HttpUri, path), new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Broadcaster_media_replays_and_its_stale_transports_close_after_a_restart()
    {
        var dataDir = TestServer.NewDataDir();
        using var http = TestServer.CreateHttpClient();
        var b = $"/rooms/{RoomId}/broadcasters/bc";
        string transportId;
        await using (var first = await TestServer.StartAsync(dataDir))
        {
            var (alice, _) = await ProtooTestClient.JoinAsync(first, RoomId, "alice", "Alice");
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, first, $"/rooms/{RoomId}/broadcasters", """{"id":"bc","displayName":"BC","device":{"name":"FFmpeg"}}""")).StatusCode);
            var transport = JsonNode.Parse(await (await PostAsync(http, first, $"{b}/transports", """{"type":"plain"}""")).Content.ReadAsStringAsync())!;
            transportId = transport["id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, first, $"{b}/transports/{transportId}/producers", $$"""{"kind":"audio","rtpParameters":{{Opus}}}""")).StatusCode);
            Assert.Single(Assert.Single((await RoomStateAsync(first)).Broadcasters).Media.Producers);
            await first.DisposeAsync();
            await alice.DisposeAsync();
        }

        await using (var second = await TestServer.StartAsync(dataDir))
        {
            var (carol, peers) = await ProtooTestClient.JoinAsync(second, RoomId, "carol", "Carol");
            await using (carol)
            {
                Assert.Contains(peers.AsArray(), p => p!["id"]!.GetValue<string>() == "bc");
                var deadline = DateTime.UtcNow + ProtooTestClient.Timeout;
                while ((await RoomStateAsync(second)).FindMember("bc")!.Transports.Count > 0)
                {
                    Assert.True(DateTime.UtcNow < deadline, "the broadcaster's stale transport was not closed");
                    await Task.Delay(50);
                }
                Assert.Empty((await RoomStateAsync(second)).FindMember("bc")!.Producers);
                var stale = await PostAsync(http, second, $"{b}/transports/{transportId}/producers", $$"""{"kind":"audio","rtpParameters":{{Opus}}}""");
                Assert.Equal($"Error: transport with id \"{transportId}\" does not exist", await stale.Content.ReadAsStringAsync());
                Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, second, $"{b}/transports", """{"type":"plain"}""")).StatusCode);
            }
        }

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(await ReplayCommand.RunAsync(["--room", RoomId], output, error, $"server.data-dir = \"{dataDir}\"") == 0, error.ToString());
        var types = output.ToString().Split('\n').Where(l => l.StartsWith('#')).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(2, types.Count(t => t == "PlainTransportCreated"));
        Assert.Contains("ProducerCreated", types);
        Assert.Contains("TransportClosed", types);
    }
}
