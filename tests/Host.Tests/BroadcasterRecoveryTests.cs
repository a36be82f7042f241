using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;
using MediaEngine.Srtp;
using Microsoft.Extensions.DependencyInjection;
using SfuHost.Replay;

namespace Host.Tests;

/// <summary>
/// A broadcaster's plain media comes back with its room after a restart: kill -9 of the server
/// process, ffmpeg-like RTP keeps flowing to the same port and out to a consuming broadcaster's
/// socket again. A transport whose port was taken meanwhile closes, with the reason journaled.
/// </summary>
public sealed class BroadcasterRecoveryTests
{
    private const string Opus = """{"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2}],"encodings":[{"ssrc":1111}]}""";

    /// <summary>From the restart to RTP at the consuming socket again: generous, for a loaded 2-core machine.</summary>
    private static readonly TimeSpan MediaBackTimeout = TimeSpan.FromSeconds(45);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri root, string path, string json) =>
        await http.PostAsync(new Uri(root, path), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonNode> PostOkAsync(HttpClient http, Uri root, string path, string json)
    {
        var response = await PostAsync(http, root, path, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)!;
    }

    private static SrtpSession SessionOf(JsonNode srtpParameters) =>
        SrtpParameters.Parse(srtpParameters["cryptoSuite"]!.GetValue<string>(), srtpParameters["keyBase64"]!.GetValue<string>()).CreateSession();

    [Fact]
    public async Task After_kill_9_a_broadcasters_plain_transports_come_back_on_their_ports_and_rtp_flows_from_ffmpeg_to_a_consuming_broadcaster_again()
    {
        var dataDir = TestServer.NewDataDir();
        var configDir = HostProcess.ConfigDirectory("server.mediasoup.loopback-peers-only = on");
        var ports = HostPorts.Free();
        var roomId = "bcast-" + Guid.NewGuid().ToString("N")[..6];
        var b = $"/rooms/{roomId}/broadcasters";
        using var http = TestServer.CreateHttpClient();
        using var ffmpeg = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        ffmpeg.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        // Our own SRTP keys toward the server (A's input) and the server's answers: the restored transports must keep all of them.
        var ffmpegKey = new JsonObject { ["cryptoSuite"] = "AES_CM_128_HMAC_SHA1_80", ["keyBase64"] = Convert.ToBase64String(Enumerable.Range(1, 30).Select(i => (byte)i).ToArray()) };
        var receiverKey = new JsonObject { ["cryptoSuite"] = "AEAD_AES_256_GCM", ["keyBase64"] = Convert.ToBase64String(Enumerable.Range(1, 44).Select(i => (byte)(i * 3)).ToArray()) };
        using var ffmpegSrtp = SessionOf(ffmpegKey);

        var host = await HostProcess.StartAsync(dataDir, configDir, ports);
        try
        {
            await using var alice = await ProtooTestClient.ConnectAsync(host.HttpsUri, roomId, "alice");
            await alice.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice" });
            var capabilities = JsonNode.Parse(await http.GetStringAsync(new Uri(host.HttpUri, $"/rooms/{roomId}")))!;

            // A: ffmpeg.sh's comedia transport (RTCP on its own port), with SRTP keys exchanged over HTTP.
            await PostOkAsync(http, host.HttpUri, b, """{"id":"ffmpeg","displayName":"ffmpeg","device":{"name":"FFmpeg"}}""");
            var input = await PostOkAsync(http, host.HttpUri, $"{b}/ffmpeg/transports",
                """{"type":"plain","comedia":true,"rtcpMux":false,"enableSrtp":true,"srtpCryptoSuite":"AES_CM_128_HMAC_SHA1_80"}""");
            var inputPort = input["port"]!.GetValue<int>();
            await PostOkAsync(http, host.HttpUri, $"{b}/ffmpeg/transports/{input["id"]}/plain/connect", new JsonObject { ["srtpParameters"] = ffmpegKey.DeepClone() }.ToJsonString());
            var producer = await PostOkAsync(http, host.HttpUri, $"{b}/ffmpeg/transports/{input["id"]}/producers", $$"""{"kind":"audio","rtpParameters":{{Opus}}}""");
            var producerId = producer["id"]!.GetValue<string>();

            // B: consumes A on a transport connected to our receiving socket, SRTP with another suite (the server switches to it).
            await PostOkAsync(http, host.HttpUri, b, $$"""{"id":"listener","displayName":"listener","device":{"name":"FFmpeg"},"rtpCapabilities":{{capabilities.ToJsonString()}}}""");
            var output = await PostOkAsync(http, host.HttpUri, $"{b}/listener/transports",
                """{"type":"plain","comedia":false,"rtcpMux":true,"enableSrtp":true,"srtpCryptoSuite":"AES_CM_128_HMAC_SHA1_80"}""");
            var connected = await PostOkAsync(http, host.HttpUri, $"{b}/listener/transports/{output["id"]}/plain/connect", new JsonObject
            {
                ["ip"] = "127.0.0.1", ["port"] = ((IPEndPoint)receiver.LocalEndPoint!).Port, ["srtpParameters"] = receiverKey.DeepClone(),
            }.ToJsonString());
            using var receiverSrtp = SessionOf(connected["srtpParameters"]!);
            var consumer = await PostOkAsync(http, host.HttpUri, $"{b}/listener/transports/{output["id"]}/consume?producerId={producerId}", "{}");
            var consumerSsrc = consumer["rtpParameters"]!["encodings"]![0]!["ssrc"]!.GetValue<uint>();

            ushort sequence = 1;
            await ForwardedAsync(ffmpeg, ffmpegSrtp, inputPort, receiver, receiverSrtp, consumerSsrc, () => sequence++, TimeSpan.FromSeconds(15));

            await host.KillHardAsync();
            await alice.Closed.WaitAsync(ProtooTestClient.Timeout);
            var drain = new byte[2048];
            while (receiver.Available > 0)
                receiver.Receive(drain);
            await host.DisposeAsync();
            host = await HostProcess.StartAsync(dataDir, configDir, ports);

            // ffmpeg never stopped: same socket, same port, same keys, the sequence going on.
            await ForwardedAsync(ffmpeg, ffmpegSrtp, inputPort, receiver, receiverSrtp, consumerSsrc, () => sequence++, MediaBackTimeout);

            // A returning peer consumes the restored producer (same id) as any producer: newConsumer.
            await using var aliceBack = await ProtooTestClient.ConnectAsync(host.HttpsUri, roomId, "alice");
            await aliceBack.RequestOkAsync("createWebRtcTransport", new JsonObject { ["forceTcp"] = false, ["producing"] = false, ["consuming"] = true });
            var joined = await aliceBack.RequestOkAsync("join", new JsonObject { ["displayName"] = "Alice", ["rtpCapabilities"] = capabilities.DeepClone() });
            Assert.Contains(joined!["peers"]!.AsArray(), p => p!["id"]!.GetValue<string>() == "ffmpeg");
            var offer = await aliceBack.NextAsync(m => m["method"]?.GetValue<string>() == "newConsumer", "newConsumer of the restored producer");
            Assert.Equal(producerId, offer["data"]!["producerId"]!.GetValue<string>());

            var historyText = await http.GetStringAsync(new Uri(host.HttpUri, $"/rooms/{roomId}/history?state=true"));
            // The keys are journaled for the restart, not served over HTTP.
            Assert.DoesNotContain(ffmpegKey["keyBase64"]!.GetValue<string>(), historyText);
            Assert.DoesNotContain(connected["srtpParameters"]!["keyBase64"]!.GetValue<string>(), historyText);
            Assert.Contains("\"srtpKeyBase64\":\"(redacted)\"", historyText);
            var history = JsonNode.Parse(historyText)!["events"]!.AsArray().Select(e => e!).ToList();
            var types = history.Select(e => e["type"]!.GetValue<string>()).ToList();
            Assert.DoesNotContain("TransportClosed", types);
            Assert.DoesNotContain("ProducerClosed", types);
            var restored = history.Where(e => e["type"]!.GetValue<string>() == "PlainTransportRestored").Select(e => e["event"]!).ToList();
            Assert.Equal(2, restored.Count);
            Assert.True(types.IndexOf("RoomRecovered") < types.IndexOf("PlainTransportRestored"), string.Join(", ", types));
            var restoredInput = restored.Single(e => e["transportId"]!.GetValue<string>() == input["id"]!.GetValue<string>());
            Assert.Equal(inputPort, restoredInput["port"]!.GetValue<int>());
            Assert.Equal(producerId, restoredInput["producerIds"]![0]!.GetValue<string>());
            Assert.Equal(consumer["id"]!.GetValue<string>(),
                restored.Single(e => e["peerId"]!.GetValue<string>() == "listener")["consumerIds"]![0]!.GetValue<string>());
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Exception($"{e.Message}\nserver output:\n{host.Output}", e);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Sends SRTP Opus as ffmpeg would until the consuming socket receives RTP of the consumer's SSRC it can decrypt.</summary>
    private static async Task ForwardedAsync(Socket ffmpeg, SrtpSession ffmpegSrtp, int inputPort, Socket receiver, SrtpSession receiverSrtp,
        uint consumerSsrc, Func<ushort> nextSequence, TimeSpan timeout)
    {
        var buffer = new byte[2048];
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no RTP forwarded to the consuming broadcaster within {timeout.TotalSeconds} s");
            var packet = new byte[12 + 40 + 16];
            var sequence = nextSequence();
            packet[0] = 0x80;
            packet[1] = 100;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 960u);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 1111);
            packet.AsSpan(12, 40).Fill(0xAB);
            Assert.True(ffmpegSrtp.TryProtectRtp(packet, 52, out var protectedLength, out _));
            ffmpeg.SendTo(packet.AsSpan(0, protectedLength), new IPEndPoint(IPAddress.Loopback, inputPort));
            while (receiver.Poll(20_000, SelectMode.SelectRead))
            {
                var length = receiver.Receive(buffer);
                // RTP (not RTCP) of the consumer, authenticated and decrypted with the keys of before the restart.
                if (length >= 12 && buffer[1] is not (>= 192 and <= 223) && BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8)) == consumerSsrc
                    && receiverSrtp.TryUnprotectRtp(buffer, length, out _, out _))
                    return;
            }
            await Task.Delay(20);
        }
    }

    private static async Task<RoomState> RoomStateAsync(TestServer server, string roomId)
    {
        var rooms = server.Services.GetRequiredService<ActorRegistry>().Get<RoomManagerActor>();
        return await rooms.Ask<RoomState>(new RoomRequest(roomId, GetRoomState.Instance), ProtooTestClient.Timeout);
    }

    [Fact]
    public async Task A_broadcaster_transport_whose_port_was_taken_during_a_restart_closes_with_the_reason_journaled()
    {
        const string roomId = "broadcaster-recovery";
        var dataDir = TestServer.NewDataDir();
        using var http = TestServer.CreateHttpClient();
        var b = $"/rooms/{roomId}/broadcasters/bc";
        string transportId;
        int port;
        await using (var first = await TestServer.StartAsync(dataDir))
        {
            var (alice, _) = await ProtooTestClient.JoinAsync(first, roomId, "alice", "Alice");
            await PostOkAsync(http, first.HttpUri, $"/rooms/{roomId}/broadcasters", """{"id":"bc","displayName":"BC","device":{"name":"FFmpeg"}}""");
            var transport = await PostOkAsync(http, first.HttpUri, $"{b}/transports", """{"type":"plain"}""");
            transportId = transport["id"]!.GetValue<string>();
            port = transport["port"]!.GetValue<int>();
            await PostOkAsync(http, first.HttpUri, $"{b}/transports/{transportId}/producers", $$"""{"kind":"audio","rtpParameters":{{Opus}}}""");
            Assert.Single(Assert.Single((await RoomStateAsync(first, roomId)).Broadcasters).Media.Producers);
            await first.DisposeAsync();
            await alice.DisposeAsync();
        }

        // Someone else has the port when the server comes back.
        using (var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            squatter.Bind(new IPEndPoint(IPAddress.Loopback, port));
            await using var second = await TestServer.StartAsync(dataDir);
            var (carol, peers) = await ProtooTestClient.JoinAsync(second, roomId, "carol", "Carol");
            await using (carol)
            {
                Assert.Contains(peers.AsArray(), p => p!["id"]!.GetValue<string>() == "bc");
                var state = await RoomStateAsync(second, roomId);
                Assert.Empty(state.FindMember("bc")!.Transports);
                Assert.Empty(state.FindMember("bc")!.Producers);
                var stale = await PostAsync(http, second.HttpUri, $"{b}/transports/{transportId}/producers", $$"""{"kind":"audio","rtpParameters":{{Opus}}}""");
                Assert.Equal($"Error: transport with id \"{transportId}\" does not exist", await stale.Content.ReadAsStringAsync());
                await PostOkAsync(http, second.HttpUri, $"{b}/transports", """{"type":"plain"}""");
            }
        }

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(await ReplayCommand.RunAsync(["--room", roomId, "--json"], output, error, $"server.data-dir = \"{dataDir}\"") == 0, error.ToString());
        var events = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, events.Count(e => e["type"]!.GetValue<string>() == "PlainTransportCreated"));
        Assert.DoesNotContain(events, e => e["type"]!.GetValue<string>() == "PlainTransportRestored");
        var closed = events.Single(e => e["type"]!.GetValue<string>() == "TransportClosed")["event"]!;
        Assert.Equal(transportId, closed["transportId"]!.GetValue<string>());
        Assert.StartsWith($"server restarted; not restored: port {port}/", closed["reason"]!.GetValue<string>());
    }
}
