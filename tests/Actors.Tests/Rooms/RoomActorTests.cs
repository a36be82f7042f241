using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Rooms;

public sealed class RoomActorTests() : TestKit(TestConfig.Hocon)
{
    private static readonly JsonElement Device = JsonDocument.Parse("""{"flag":"chrome","name":"Chrome","version":"156"}""").RootElement;

    private sealed record Peer(IActorRef Session, TestProbe Wire);

    private async Task<Peer> Connect(IActorRef roomOrManager, string peerId, string roomId = "r1")
    {
        var session = await TestSessions.ConnectAsync(this, roomOrManager, roomId, peerId);
        return new Peer(session.Actor, session.Wire);
    }

    private static CommandResult Request(Peer peer, IPeerRequest request, int id = 1)
    {
        peer.Session.Tell(new ClientRequest(id, request));
        var responded = peer.Wire.ExpectMsg<Responded>(r => r.RequestId == id);
        return responded.Result;
    }

    private static Join JoinAs(string name) => new(name, Device, null, null);

    [Fact]
    public async Task A_session_that_asks_to_connect_again_gets_the_same_answer_and_nothing_more_is_journaled()
    {
        var room = Sys.ActorOf(RoomActor.Props("again", TestConfig.Settings()));
        var session = CreateTestProbe();
        room.Tell(new ConnectPeer("again", "alice", 0, null), session.Ref);
        var first = session.ExpectMsg<PeerAttached>();
        room.Tell(new ConnectPeer("again", "alice", 0, null), session.Ref);
        var second = session.ExpectMsg<PeerAttached>();

        Assert.Equal(first.Peer, second.Peer);
        var state = await room.Ask<RoomState>(GetRoomState.Instance);
        Assert.Equal(["alice"], state.Peers.Select(p => p.Id));
        Assert.Equal(["RoomCreated", "PeerConnected"], (await Journal.ReadAsync(Sys, RoomActor.PersistenceIdFor("again"))).Select(e => e.GetType().Name));
    }

    [Fact]
    public async Task Join_answers_the_present_peers_and_announces_the_newcomer()
    {
        var manager = Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings()));
        var alice = await Connect(manager, "alice");
        var aliceJoin = Assert.IsType<CommandSuccess>(Request(alice, JoinAs("Alice")));
        Assert.Equal("""{"peers":[]}""", aliceJoin.Data!.ToString());

        var bob = await Connect(manager, "bob");
        var bobJoin = Assert.IsType<CommandSuccess>(Request(bob, JoinAs("Bob")));
        Assert.Contains("\"id\":\"alice\"", bobJoin.Data!.ToString());
        var newPeer = alice.Wire.ExpectMsg<Notified>();
        Assert.Equal("newPeer", newPeer.Method);
        Assert.Equal(JsonData.Of(new PeerSummary("bob", "Bob", Device)), newPeer.Data);
    }

    [Fact]
    public async Task Commands_check_the_joined_state()
    {
        var manager = Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings()));
        var alice = await Connect(manager, "alice");
        Assert.Equal("Peer not yet joined", Assert.IsType<CommandFailure>(Request(alice, new ChangeDisplayName("x"))).Message);
        Assert.Equal("Peer not yet joined", Assert.IsType<CommandFailure>(Request(alice, new ProducerRequest("closeProducer", "p1"))).Message);
        Assert.IsType<CommandSuccess>(Request(alice, new GetRouterRtpCapabilities()));
        Assert.IsType<CommandSuccess>(Request(alice, JoinAs("Alice")));
        Assert.Equal("Peer already joined", Assert.IsType<CommandFailure>(Request(alice, JoinAs("Alice"))).Message);
    }

    [Fact]
    public async Task Network_throttle_needs_the_configured_secret()
    {
        var manager = Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings(throttleSecret: "s3cret")));
        var alice = await Connect(manager, "alice");
        Assert.Equal(403, Assert.IsType<CommandFailure>(Request(alice, new NetworkThrottle(true, "wrong"))).ProtooErrorCode);
        Assert.Equal(403, Assert.IsType<CommandFailure>(Request(alice, new NetworkThrottle(false, null))).ProtooErrorCode);
        Assert.IsType<CommandSuccess>(Request(alice, new NetworkThrottle(true, "s3cret")));
    }

    [Fact]
    public async Task Concurrent_connections_to_a_new_room_share_one_room_actor()
    {
        var manager = Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings()));
        var sessions = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => TestSessions.ConnectAsync(this, manager, "race", $"p{i}")));
        Assert.Single(sessions.Select(s => s.Room).Distinct());
    }

    [Fact]
    public async Task A_member_whose_session_stops_without_a_word_leaves_the_room()
    {
        var manager = Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings()));
        var alice = await Connect(manager, "alice");
        Request(alice, JoinAs("Alice"));
        var bob = await Connect(manager, "bob");
        Request(bob, JoinAs("Bob"));
        alice.Wire.ExpectMsg<Notified>(n => n.Method == "newPeer");

        Sys.Stop(bob.Session);

        Assert.Equal("""{"peerId":"bob"}""", alice.Wire.ExpectMsg<Notified>(n => n.Method == "peerClosed").Data.ToString());
        var state = await manager.Ask<RoomState>(new RoomRequest("r1", GetRoomState.Instance));
        Assert.Equal(["alice"], state.Peers.Select(p => p.Id));
    }

    [Fact]
    public async Task A_closed_room_stops_and_a_later_connection_opens_it_again()
    {
        var manager = Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings()));
        var alice = await TestSessions.ConnectAsync(this, manager, "r1", "alice");
        Watch(alice.Actor);
        alice.Actor.Tell(ConnectionClosed.Instance);
        ExpectTerminated(alice.Actor);

        await AwaitAssertAsync(async () => Assert.IsType<CommandFailure>(
            await manager.Ask<object>(new RoomRequest("r1", GetRoomState.Instance))), TimeSpan.FromSeconds(3));

        var bob = await TestSessions.ConnectAsync(this, manager, "r1", "bob");
        var state = await manager.Ask<RoomState>(new RoomRequest("r1", GetRoomState.Instance));
        Assert.True(state.Open);
        Assert.Equal(["bob"], state.Peers.Select(p => p.Id));
        Assert.Equal(alice.Room.Path, bob.Room.Path);
    }

    [Fact]
    public async Task A_room_recovers_its_state_from_snapshot_and_events()
    {
        var settings = TestConfig.Settings(snapshotEvery: 3);
        var room = Sys.ActorOf(RoomActor.Props("recover", settings));
        var alice = await Connect(room, "alice", "recover");
        Request(alice, JoinAs("Alice"));
        var bob = await Connect(room, "bob", "recover");
        Request(bob, JoinAs("Bob"));
        Request(bob, new ChangeDisplayName("Robert"));
        var before = await room.Ask<RoomState>(GetRoomState.Instance);

        Watch(room);
        Sys.Stop(room);
        ExpectTerminated(room);

        var snapshotStore = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        var loaded = await snapshotStore.Ask<LoadSnapshotResult>(
            new LoadSnapshot(RoomActor.PersistenceIdFor("recover"), SnapshotSelectionCriteria.Latest, long.MaxValue));
        Assert.Equal(6, loaded.Snapshot!.Metadata.SequenceNr);

        var recovered = Sys.ActorOf(RoomActor.Props("recover", settings));
        var after = await recovered.Ask<RoomState>(GetRoomState.Instance);
        Assert.Equal(RoomJsonOf(before), RoomJsonOf(after));
        Assert.Equal("Robert", after.FindPeer("bob")!.DisplayName);
    }

    private static string RoomJsonOf(RoomState state) => Actors.Persistence.RoomEventSerializer.ToJson(state);
}
