using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Host.Tests;

public sealed class ProtooSignalingTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string NewRoomId() => "room-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Handshake_without_protoo_subprotocol_is_refused_with_403()
    {
        using var socket = ProtooTestClient.CreateSocket("chat");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.WebSocketUri("r", "p"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Theory]
    [InlineData("r", null)]
    [InlineData(null, "p")]
    [InlineData("", "p")]
    public async Task Handshake_without_roomId_or_peerId_is_refused_with_400(string? roomId, string? peerId)
    {
        using var socket = ProtooTestClient.CreateSocket("protoo");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.WebSocketUri(roomId, peerId), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task First_message_is_the_mediasoup_version_notification()
    {
        await using var client = await ProtooTestClient.ConnectAsync(_server, NewRoomId(), "alice");
        var first = await client.NextAsync(_ => true, "any message");
        Assert.Equal("mediasoup-version", first["method"]!.GetValue<string>());
        Assert.True(first["notification"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(first["data"]!["version"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Two_peers_see_each_other_join_rename_and_leave()
    {
        var roomId = NewRoomId();
        var (alice, alicePeers) = await ProtooTestClient.JoinAsync(_server, roomId, "alice", "Alice");
        await using var _ = alice;
        Assert.Empty(alicePeers.AsArray());

        var (bob, bobPeers) = await ProtooTestClient.JoinAsync(_server, roomId, "bob", "Bob");
        var seenByBob = Assert.Single(bobPeers.AsArray())!;
        Assert.Equal("alice", seenByBob["id"]!.GetValue<string>());
        Assert.Equal("Alice", seenByBob["displayName"]!.GetValue<string>());
        Assert.Equal("Chrome", seenByBob["device"]!["name"]!.GetValue<string>());

        var newPeer = await alice.NotificationAsync("newPeer");
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"id":"bob","displayName":"Bob","device":{"flag":"chrome","name":"Chrome","version":"156"}}"""),
            newPeer["data"]));

        await bob.RequestOkAsync("changeDisplayName", new JsonObject { ["displayName"] = "Robert" });
        var renamed = await alice.NotificationAsync("peerDisplayNameChanged");
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"peerId":"bob","displayName":"Robert","oldDisplayName":"Bob"}"""), renamed["data"]));

        await bob.DisposeAsync();
        var closed = await alice.NotificationAsync("peerClosed");
        Assert.Equal("bob", closed["data"]!["peerId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requests_that_need_a_join_fail_before_it_and_join_twice_fails()
    {
        await using var client = await ProtooTestClient.ConnectAsync(_server, NewRoomId(), "alice");

        var rename = await client.RequestAsync("changeDisplayName", new JsonObject { ["displayName"] = "A" });
        AssertError(rename, 500, "Peer not yet joined");
        var produce = await client.RequestAsync("produce", new JsonObject { ["transportId"] = "t", ["kind"] = "audio" });
        AssertError(produce, 500, "Peer not yet joined");

        await client.RequestOkAsync("join", new JsonObject { ["displayName"] = "A", ["device"] = new JsonObject { ["name"] = "x" } });
        AssertError(await client.RequestAsync("join", new JsonObject { ["displayName"] = "A" }), 500, "Peer already joined");
    }

    [Fact]
    public async Task Unknown_method_answers_500_with_the_method_name()
    {
        await using var client = await ProtooTestClient.ConnectAsync(_server, NewRoomId(), "alice");
        AssertError(await client.RequestAsync("foo"), 500, "unknown request.method \"foo\"");
    }

    [Fact]
    public async Task Methods_of_later_issues_answer_an_error_not_silence()
    {
        await using var client = await ProtooTestClient.ConnectAsync(_server, NewRoomId(), "alice");
        await client.RequestOkAsync("join", new JsonObject { ["displayName"] = "A" });
        var response = await client.RequestAsync("produce", new JsonObject { ["transportId"] = "t", ["kind"] = "audio" });
        Assert.NotEqual(true, response["ok"]?.GetValue<bool>());
        Assert.Equal(500, response["errorCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Missing_or_mistyped_fields_answer_an_error()
    {
        await using var client = await ProtooTestClient.ConnectAsync(_server, NewRoomId(), "alice");
        await client.RequestOkAsync("join", new JsonObject { ["displayName"] = "A" });

        Assert.Equal(500, (await client.RequestAsync("changeDisplayName"))["errorCode"]!.GetValue<int>());
        Assert.Equal(500, (await client.RequestAsync("changeDisplayName", new JsonObject { ["displayName"] = 42 }))["errorCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Mistyped_nested_fields_answer_an_error_and_the_room_carries_on()
    {
        var roomId = NewRoomId();
        var (alice, _) = await ProtooTestClient.JoinAsync(_server, roomId, "alice", "Alice");
        await using var __ = alice;
        await using var bob = await ProtooTestClient.ConnectAsync(_server, roomId, "bob");

        JsonObject Sctp(JsonNode os) => new() { ["numStreams"] = new JsonObject { ["OS"] = os, ["MIS"] = 1024 } };
        var mistyped = await bob.RequestAsync("createWebRtcTransport", new JsonObject { ["producing"] = true, ["sctpCapabilities"] = Sctp("many") });
        Assert.Equal(500, mistyped["errorCode"]!.GetValue<int>());
        Assert.Equal("invalid sctpCapabilities.numStreams.OS", mistyped["errorReason"]!.GetValue<string>());

        await bob.RequestOkAsync("join", new JsonObject { ["displayName"] = "Bob", ["sctpCapabilities"] = Sctp(1024) });
        await alice.NotificationAsync("newPeer");
        var transport = await bob.RequestOkAsync("createWebRtcTransport", new JsonObject { ["producing"] = true, ["sctpCapabilities"] = Sctp(1024) });
        var produceData = await bob.RequestAsync("produceData", new JsonObject
        {
            ["transportId"] = transport!["id"]!.GetValue<string>(),
            ["sctpStreamParameters"] = new JsonObject { ["streamId"] = "1" },
            ["label"] = "chat",
            ["protocol"] = "",
        });
        Assert.Equal("missing or invalid sctpStreamParameters.streamId", produceData["errorReason"]!.GetValue<string>());

        // Same room, same members: nobody was disconnected, and what one does still reaches the other.
        await alice.RequestOkAsync("changeDisplayName", new JsonObject { ["displayName"] = "Alicia" });
        Assert.Equal("Alicia", (await bob.NotificationAsync("peerDisplayNameChanged"))["data"]!["displayName"]!.GetValue<string>());
        Assert.Null(alice.CloseStatus);
    }

    [Theory]
    [InlineData("r", "12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    [InlineData("r", "a\u0000b")]
    [InlineData("../r", "p")]
    public async Task Room_and_peer_ids_too_long_or_with_control_characters_or_slashes_are_refused_with_400(string roomId, string peerId)
    {
        using var socket = ProtooTestClient.CreateSocket("protoo");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.WebSocketUri(roomId, peerId), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Fields_over_their_size_limit_are_refused_and_never_reach_the_room()
    {
        await using var client = await ProtooTestClient.ConnectAsync(_server, NewRoomId(), "alice");
        var longName = await client.RequestAsync("join", new JsonObject { ["displayName"] = new string('a', 257) });
        Assert.Equal("displayName longer than 256 characters", longName["errorReason"]!.GetValue<string>());
        var bigDevice = await client.RequestAsync("join", new JsonObject
        {
            ["displayName"] = "A",
            ["device"] = new JsonObject { ["name"] = new string('d', 5000) },
        });
        Assert.Equal("device larger than 4096 bytes", bigDevice["errorReason"]!.GetValue<string>());

        await client.RequestOkAsync("join", new JsonObject { ["displayName"] = new string('a', 256) });
        var rename = await client.RequestAsync("changeDisplayName", new JsonObject { ["displayName"] = new string('b', 100_000) });
        Assert.Equal("displayName longer than 256 characters", rename["errorReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_peer_gets_no_more_transports_than_its_limit_even_asking_for_all_at_once()
    {
        await using var server = await TestServer.StartAsync(extraConfig: "server.room.member-limits.transports = 2");
        await using var client = await ProtooTestClient.ConnectAsync(server, NewRoomId(), "alice");
        for (var id = 100; id < 105; id++)
            await client.SendRawAsync(new JsonObject
            {
                ["request"] = true, ["id"] = id, ["method"] = "createWebRtcTransport", ["data"] = new JsonObject { ["producing"] = true },
            }.ToJsonString());
        var answers = new List<JsonObject>();
        for (var id = 100; id < 105; id++)
            answers.Add(await client.NextAsync(m => m["response"]?.GetValue<bool>() == true && m["id"]?.GetValue<int>() == id, $"response {id}"));

        Assert.Equal(2, answers.Count(a => a["ok"]?.GetValue<bool>() == true));
        Assert.All(answers.Where(a => a["ok"]?.GetValue<bool>() != true),
            a => Assert.Equal("too many transports (limit 2 per peer)", a["errorReason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Malformed_messages_are_dropped_and_the_connection_stays_usable()
    {
        await using var client = await ProtooTestClient.ConnectAsync(_server, NewRoomId(), "alice");
        await client.SendRawAsync("this is not json");
        await client.SendRawAsync("""{"request":true,"id":"7","method":"getRouterRtpCapabilities","data":{}}""");
        await client.SendRawAsync("""{"request":true,"id":8,"data":{}}""");
        await client.SendRawAsync("[1,2,3]");

        var capabilities = await client.RequestOkAsync("getRouterRtpCapabilities");
        Assert.NotEmpty(capabilities!["codecs"]!.AsArray());
        Assert.True(await client.NothingArrivesAsync(m => m["response"] is not null, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Router_capabilities_from_the_shipped_config_equal_protocol_appendix_A_over_protoo_and_http()
    {
        var roomId = NewRoomId();
        await using var client = await ProtooTestClient.ConnectAsync(_server, roomId, "alice");
        var overProtoo = await client.RequestOkAsync("getRouterRtpCapabilities");

        using var http = TestServer.CreateHttpClient();
        var overHttp = JsonNode.Parse(await http.GetStringAsync(new Uri(_server.HttpsUri, $"/rooms/{roomId}")));
        Assert.True(JsonNode.DeepEquals(overProtoo, overHttp));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(MediaEngine.Tests.Rtp.DemoConfig.RouterRtpCapabilitiesJson), overProtoo),
            overProtoo!.ToJsonString());
    }

    [Fact]
    public async Task A_second_connection_with_the_same_peerId_closes_the_first_with_4000()
    {
        var roomId = NewRoomId();
        var (observer, _) = await ProtooTestClient.JoinAsync(_server, roomId, "observer", "Observer");
        await using var __ = observer;
        var (first, _) = await ProtooTestClient.JoinAsync(_server, roomId, "alice", "Alice");
        await observer.NotificationAsync("newPeer");

        var (second, peers) = await ProtooTestClient.JoinAsync(_server, roomId, "alice", "Alice again");
        await using var ___ = second;
        await first.Closed.WaitAsync(ProtooTestClient.Timeout);
        Assert.Equal(4000, (int)first.CloseStatus!.Value);
        Assert.Equal("observer", Assert.Single(peers.AsArray())!["id"]!.GetValue<string>());

        Assert.Equal("alice", (await observer.NotificationAsync("peerClosed"))["data"]!["peerId"]!.GetValue<string>());
        Assert.Equal("Alice again", (await observer.NotificationAsync("newPeer"))["data"]!["displayName"]!.GetValue<string>());
        await first.DisposeAsync();
    }

    [Fact]
    public async Task Peers_connecting_at_once_to_a_new_room_end_up_in_one_room()
    {
        var roomId = NewRoomId();
        var joins = Enumerable.Range(0, 8)
            .Select(i => ProtooTestClient.JoinAsync(_server, roomId, $"peer{i}", $"Peer {i}"))
            .ToList();
        var clients = (await Task.WhenAll(joins)).Select(j => j.Client).ToList();
        try
        {
            var (last, peers) = await ProtooTestClient.JoinAsync(_server, roomId, "last", "Last");
            clients.Add(last);
            Assert.Equal(
                Enumerable.Range(0, 8).Select(i => $"peer{i}").Order(),
                peers.AsArray().Select(p => p!["id"]!.GetValue<string>()).Order());
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_room_closes_when_its_last_peer_leaves()
    {
        var roomId = NewRoomId();
        using var http = TestServer.CreateHttpClient();
        var (alice, _) = await ProtooTestClient.JoinAsync(_server, roomId, "alice", "Alice");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(_server.HttpsUri, $"/rooms/{roomId}"))).StatusCode);

        await alice.DisposeAsync();
        var deadline = DateTime.UtcNow + ProtooTestClient.Timeout;
        HttpResponseMessage response;
        do
        {
            response = await http.GetAsync(new Uri(_server.HttpsUri, $"/rooms/{roomId}"));
            if (response.StatusCode == HttpStatusCode.NotFound)
                break;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"Error: room with id \"{roomId}\" not found", await response.Content.ReadAsStringAsync());
    }

    private static void AssertError(JsonObject response, int code, string reason)
    {
        Assert.NotEqual(true, response["ok"]?.GetValue<bool>());
        Assert.Equal(code, response["errorCode"]!.GetValue<int>());
        Assert.Equal(reason, response["errorReason"]!.GetValue<string>());
    }
}
