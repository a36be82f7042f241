using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Peers;

/// <summary>What a session and its room say to each other survives Akka serialization, as it would between two nodes.</summary>
public sealed class SessionMessageSerializerTests() : TestKit(TestConfig.Hocon)
{
    private static readonly JsonElement Device = JsonDocument.Parse("""{"flag":"chrome","name":"Chrome"}""").RootElement;

    private IEnumerable<ISessionMessage> OneOfEach() =>
    [
        new ConnectPeer("room", "alice", 2, "127.0.0.1"),
        new PeerAttached(TestActor, TestActor, "3.14.16"),
        new PeerCommand("alice", 7, new Join("Alice", Device, null, Device)),
        new PeerCommand("alice", 8, new ConnectWebRtcTransport("t1", "client", [new FingerprintParameter("sha-256", "AB:CD")])),
        new PeerCommand("alice", 9, new ProducerRequest("pauseProducer", "p1")),
        new PeerCommandResult(7, CommandResult.Ok(new { peers = Array.Empty<object>() })),
        new PeerCommandResult(8, CommandResult.Error("transport with id \"t1\" not found")),
        CommandResult.Ok(),
        CommandResult.Text("broadcaster deleted"),
        CommandResult.Forbidden("operation NOT allowed"),
        new PeerDisconnected("alice"),
        new NotifyPeer("newPeer", JsonData.Of(new { id = "bob", displayName = "Bob" })),
        new RequestPeer("newConsumer", JsonData.Of(new { id = "c1", peerId = (string?)null }), "c1"),
        new PeerRequestResult("newConsumer", true, Device, null, null, "c1"),
        new PeerRequestResult("newConsumer", false, null, 408, "request timeout", "c1"),
        ClosePeer.ByServer,
        new RoomRequest("room", new CreateBroadcaster("b1", "FFmpeg", Device, null)),
        new RoomRequest("room", new BroadcasterTransportRequest("b1", "t1", new ConsumeProducer("p1"))),
        new RoomRequest("room", GetDataChannelDirectory.Instance),
        GetNodeLoad.Instance,
        new NodeLoad(3),
    ];

    [Fact]
    public void Every_session_message_comes_back_the_same()
    {
        foreach (var message in OneOfEach())
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            Assert.IsType<SessionMessageSerializer>(serializer);
            var bytes = serializer.ToBinary(message);
            var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, Serialization.ManifestFor(serializer, message));

            Assert.Equal(message.GetType(), back.GetType());
            Assert.Equal(bytes, serializer.ToBinary(back));
        }
    }

    [Fact]
    public void Refs_requests_and_data_keep_what_they_are()
    {
        T RoundTrip<T>(T message) where T : notnull
        {
            var serializer = Sys.Serialization.FindSerializerFor(message);
            return (T)Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, Serialization.ManifestFor(serializer, message));
        }

        Assert.Equal(TestActor, RoundTrip(new PeerAttached(TestActor, TestActor, "3.14.16")).Room);
        var join = Assert.IsType<Join>(RoundTrip(new PeerCommand("alice", 7, new Join("Alice", Device, null, null))).Request);
        Assert.Equal("Alice", join.DisplayName);
        Assert.Equal("Chrome", join.Device!.Value.GetProperty("name").GetString());
        var failure = Assert.IsType<CommandFailure>(RoundTrip(new PeerCommandResult(1, CommandResult.Forbidden("no"))).Result);
        Assert.Equal((403, "no"), (failure.ProtooErrorCode, failure.Message));
        Assert.Equal("""{"id":"c1","peerId":null}""", RoundTrip(new RequestPeer("newConsumer", JsonData.Of(new System.Text.Json.Nodes.JsonObject { ["id"] = "c1", ["peerId"] = null }))).Data.ToString());
        Assert.Equal("broadcaster deleted", RoundTrip(CommandResult.Text("broadcaster deleted")).PlainText);
        var produce = RoundTrip(new RoomRequest("room", new BroadcasterTransportRequest("b1", "t1", new Produce("t1", "audio", Device, null))));
        Assert.Equal("audio", Assert.IsType<Produce>(Assert.IsType<BroadcasterTransportRequest>(produce.Command).Request).Kind);
    }

    [Fact]
    public void Every_kind_of_session_message_is_covered_here()
    {
        var kinds = typeof(ISessionMessage).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(ISessionMessage).IsAssignableFrom(t));
        Assert.Equal(kinds.Select(t => t.Name).Order(), OneOfEach().Select(m => m.GetType().Name).Distinct().Order());
    }
}
