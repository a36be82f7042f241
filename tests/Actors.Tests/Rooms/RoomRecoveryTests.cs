using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Rooms;

/// <summary>
/// A room manager that stops without closing its rooms (a crash, as far as the journal can tell)
/// and a new one on the same journal: the rooms come back at once, members are recognised when
/// they reconnect, and those who stay away leave after the rejoin grace period.
/// </summary>
public sealed class RoomRecoveryTests() : TestKit(TestConfig.Hocon)
{
    private static readonly JsonElement Device = JsonDocument.Parse("""{"flag":"chrome","name":"Chrome","version":"156"}""").RootElement;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1.5);

    private sealed record Peer(IActorRef Session, Akka.TestKit.TestProbe Wire);

    private async Task<Peer> Connect(IActorRef manager, string peerId)
    {
        var session = await TestSessions.ConnectAsync(this, manager, "r1", peerId);
        return new Peer(session.Actor, session.Wire);
    }

    private static CommandResult Join(Peer peer, string displayName, int requestId = 1)
    {
        peer.Session.Tell(new ClientRequest(requestId, new Join(displayName, Device, null, null)));
        return peer.Wire.ExpectMsg<Responded>(r => r.RequestId == requestId).Result;
    }

    private IActorRef Manager() => Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings() with { RejoinGracePeriod = Grace }));

    /// <summary>
    /// Stops the manager and its rooms without any peer leaving: what the journal sees of a kill -9
    /// once the directory of open rooms has written that r1 is open (it writes that while the room's
    /// first peer connects, and a loaded machine once crashed the manager before it had).
    /// </summary>
    private async Task CrashAsync(IActorRef manager)
    {
        await AwaitAssertAsync(async () => Assert.Contains(new OpenRoomAdded("r1"), await Journal.ReadAsync(Sys, OpenRoomsActor.Id)));
        Watch(manager);
        Sys.Stop(manager);
        ExpectTerminated(manager);
    }

    private async Task<List<string>> EventTypesAsync() =>
        (await Journal.ReadAsync(Sys, RoomActor.PersistenceIdFor("r1"))).Select(e => e.GetType().Name).ToList();

    [Fact]
    public async Task A_returning_member_rejoins_and_a_missing_one_leaves_after_the_grace_period()
    {
        var first = Manager();
        var alice = await Connect(first, "alice");
        Join(alice, "Alice");
        var bob = await Connect(first, "bob");
        Join(bob, "Bob");
        await CrashAsync(first);

        var second = Manager();
        // The room is back before anybody reconnects: the directory of open rooms started it.
        await AwaitAssertAsync(async () => Assert.Contains("RoomRecovered", await EventTypesAsync()));

        alice = await Connect(second, "alice");
        var state = await second.Ask<RoomState>(new RoomRequest("r1", GetRoomState.Instance));
        Assert.Equal(["bob", "alice"], state.Peers.Select(p => p.Id));
        Assert.False(state.FindPeer("alice")!.Joined);
        var rejoin = Assert.IsType<CommandSuccess>(Join(alice, "Alice again"));
        Assert.Equal("""{"peers":[]}""", rejoin.Data!.ToString());

        var closed = alice.Wire.ExpectMsg<Notified>(TimeSpan.FromSeconds(10));
        Assert.Equal("peerClosed", closed.Method);
        Assert.Equal("""{"peerId":"bob"}""", closed.Data.ToString());

        state = await second.Ask<RoomState>(new RoomRequest("r1", GetRoomState.Instance));
        Assert.Equal(["alice"], state.Peers.Select(p => p.Id));
        Assert.Equal(
            ["RoomCreated", "PeerConnected", "PeerJoined", "PeerConnected", "PeerJoined",
             "RoomRecovered", "PeerRejoined", "PeerJoined", "PeerLeft"],
            await EventTypesAsync());

        var events = await Journal.ReadAsync(Sys, RoomActor.PersistenceIdFor("r1"));
        var recovered = Assert.Single(events.OfType<RoomRecovered>());
        Assert.Equal("server restarted", recovered.Cause);
        Assert.Equal(["alice", "bob"], recovered.AwaitingPeers.Order());
        Assert.Equal(((IRoomEvent)events[4]).Timestamp, recovered.LastEventAt);
        Assert.Equal(PeerLeftReasons.RejoinTimeout, events.OfType<PeerLeft>().Single().Reason);
        Assert.Equal("bob", events.OfType<PeerLeft>().Single().PeerId);
    }

    [Fact]
    public async Task A_recovered_room_nobody_returns_to_closes_by_itself()
    {
        var first = Manager();
        Join(await Connect(first, "alice"), "Alice");
        await CrashAsync(first);

        var second = Manager();
        await AwaitAssertAsync(async () => Assert.Equal(
                ["RoomCreated", "PeerConnected", "PeerJoined", "RoomRecovered", "PeerLeft", "RoomClosed"],
                await EventTypesAsync()),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        await AwaitAssertAsync(async () => Assert.IsType<CommandFailure>(
            await second.Ask<object>(new RoomRequest("r1", GetRoomState.Instance))), TimeSpan.FromSeconds(5));

        // Closed for good: a third start does not bring it back.
        await CrashAsync(second);
        var third = Manager();
        await Task.Delay(Grace * 2);
        Assert.Equal(6, (await EventTypesAsync()).Count);
        Assert.IsType<CommandFailure>(await third.Ask<object>(new RoomRequest("r1", GetRoomState.Instance)));
    }

    [Fact]
    public async Task A_live_peer_connecting_again_replaces_its_session_and_is_not_a_rejoin()
    {
        var manager = Manager();
        var alice = await Connect(manager, "alice");
        Join(alice, "Alice");
        await Connect(manager, "alice");
        alice.Wire.ExpectMsg<ClosedWith>();
        Assert.Equal(["RoomCreated", "PeerConnected", "PeerJoined", "PeerLeft", "PeerConnected"], await EventTypesAsync());
    }
}

/// <summary>A journal with events about a peer that had already left (a media call finishing after the departure).</summary>
public sealed class LateEventRecoveryTests() : TestKit(TestConfig.Hocon)
{
    private sealed class Writer : ReceivePersistentActor
    {
        private readonly string _persistenceId;

        public Writer(string persistenceId, IReadOnlyList<IRoomEvent> events)
        {
            _persistenceId = persistenceId;
            Command<string>(_ =>
            {
                var replyTo = Sender;
                PersistAll(events, e => { if (ReferenceEquals(e, events[^1])) replyTo.Tell("done"); });
            });
        }

        public override string PersistenceId => _persistenceId;
    }

    [Fact]
    public async Task A_room_replays_events_about_a_departed_peer_instead_of_failing_its_recovery()
    {
        var at = DateTimeOffset.UtcNow;
        IRoomEvent[] events =
        [
            new RoomCreated("late", 0, at), new PeerConnected("alice", null, at), new PeerConnected("bob", null, at),
            new TransportCreated("bob", "t1", false, true, false, null, at), new PeerLeft("bob", PeerLeftReasons.Disconnected, at),
            new TransportConnected("bob", "t1", "client", "sha-256", at), new TransportConnected("alice", "no-such-transport", "client", "sha-256", at),
        ];
        var writer = Sys.ActorOf(Props.Create(() => new Writer(RoomActor.PersistenceIdFor("late"), events)));
        Assert.Equal("done", await writer.Ask<string>("write", RemainingOrDefault));
        Sys.Stop(writer);

        var room = Sys.ActorOf(RoomActor.Props("late", TestConfig.Settings()));
        var state = await room.Ask<RoomState>(GetRoomState.Instance, RemainingOrDefault);
        Assert.Equal(["alice"], state.Peers.Select(p => p.Id));
    }
}
