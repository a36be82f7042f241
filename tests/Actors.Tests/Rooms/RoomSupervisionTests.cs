using System.Net;
using System.Text.Json;
using Actors.Media;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MediaEngine.Workers;

namespace Actors.Tests.Rooms;

/// <summary>Failures stay where they happen: a room restarts alone from its events; a media worker takes only its routers' rooms' media.</summary>
public sealed class RoomSupervisionTests() : TestKit(TestConfig.Hocon)
{
    private static readonly JsonElement Device = JsonDocument.Parse("""{"flag":"chrome","name":"Chrome","version":"156"}""").RootElement;

    private sealed record Peer(IActorRef Session, TestProbe Wire);

    private async Task<Peer> Connect(IActorRef manager, string roomId, string peerId)
    {
        var session = await TestSessions.ConnectAsync(this, manager, roomId, peerId);
        return new Peer(session.Actor, session.Wire);
    }

    private static CommandResult Request(Peer peer, IPeerRequest request, int id)
    {
        peer.Session.Tell(new ClientRequest(id, request));
        return peer.Wire.ExpectMsg<Responded>(r => r.RequestId == id, TimeSpan.FromSeconds(10)).Result;
    }

    private async Task<Peer> JoinAsync(IActorRef manager, string roomId, string peerId)
    {
        var peer = await Connect(manager, roomId, peerId);
        Assert.IsType<CommandSuccess>(Request(peer, new Join(peerId, Device, null, null), 1));
        return peer;
    }

    private async Task<IActorRef> RoomActorOf(IActorRef manager, string roomId) =>
        await Sys.ActorSelection(manager.Path / ("room-" + roomId)).ResolveOne(TimeSpan.FromSeconds(3));

    [Fact]
    public async Task A_failed_room_restarts_from_its_events_and_other_rooms_do_not_notice()
    {
        var manager = Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings()));
        var alice = await JoinAsync(manager, "r1", "alice");
        var bob = await JoinAsync(manager, "r1", "bob");
        alice.Wire.ExpectMsg<Notified>(n => n.Method == "newPeer");
        var carol = await JoinAsync(manager, "r2", "carol");
        Assert.IsType<CommandSuccess>(Request(bob, new ChangeDisplayName("Robert"), 2));
        var before = await manager.Ask<RoomState>(new RoomRequest("r1", GetRoomState.Instance));

        (await RoomActorOf(manager, "r1")).Tell(Kill.Instance);

        // Its sessions went with the failed incarnation: protoo's 1001 makes the clients reconnect.
        Assert.Equal(PeerSessionActor.RoomGoneCloseCode, alice.Wire.FishForMessage<ClosedWith>(_ => true, TimeSpan.FromSeconds(10)).Code);
        Assert.Equal(PeerSessionActor.RoomGoneCloseCode, bob.Wire.ExpectMsg<ClosedWith>(TimeSpan.FromSeconds(10)).Code);
        var after = await manager.Ask<RoomState>(new RoomRequest("r1", GetRoomState.Instance), TimeSpan.FromSeconds(10));
        Assert.Equal(RoomJson(before), RoomJson(after));
        Assert.Equal("Robert", after.FindPeer("bob")!.DisplayName);

        alice = await Connect(manager, "r1", "alice");
        Assert.IsType<CommandSuccess>(Request(alice, new Join("alice", Device, null, null), 1));
        var events = await Journal.ReadAsync(Sys, RoomActor.PersistenceIdFor("r1"));
        var recovered = Assert.Single(events.OfType<RoomRecovered>());
        Assert.StartsWith("room actor restarted: ActorKilledException", recovered.Cause);
        Assert.Equal("alice", Assert.Single(events.OfType<PeerRejoined>()).PeerId);

        // The other room: same session, same journal, nothing sent to its peer.
        carol.Wire.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.IsType<CommandSuccess>(Request(carol, new ChangeDisplayName("Caroline"), 2));
        Assert.DoesNotContain(await Journal.ReadAsync(Sys, RoomActor.PersistenceIdFor("r2")), e => e is RoomRecovered);
    }

    [Fact]
    public async Task A_dead_media_worker_sends_only_its_rooms_peers_to_reconnect_and_they_get_a_fresh_router()
    {
        var media = Sys.ActorOf(MediaWorkersActor.Props(new MediaEngineSettings(
            NumWorkers: 2, ListenIp: IPAddress.Loopback, AnnouncedAddress: "127.0.0.1", WebRtcServerPort: 0, LoopbackPeersOnly: true)), "media");
        var manager = Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings() with { MediaWorkers = media }));
        var createTransport = new CreateWebRtcTransport(false, true, false, null);
        var alice = await JoinAsync(manager, "r1", "alice");
        Assert.IsType<CommandSuccess>(Request(alice, createTransport, 2));
        var carol = await JoinAsync(manager, "r2", "carol");
        Assert.IsType<CommandSuccess>(Request(carol, createTransport, 2));

        // Round robin put r1 on worker-0 and r2 on worker-1.
        var worker = await Sys.ActorSelection(media.Path / "worker-0").ResolveOne(TimeSpan.FromSeconds(3));
        worker.Tell(Kill.Instance);

        // 1001 (not protoo's 4000): the client reconnects. The reason is "media worker restarted", or
        // "room stopped" when the room closing (its last peer gone) stops the session first.
        Assert.Equal(PeerSessionActor.RoomGoneCloseCode, alice.Wire.ExpectMsg<ClosedWith>(TimeSpan.FromSeconds(10)).Code);
        carol.Wire.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.IsType<CommandSuccess>(Request(carol, new GetTransportStats(
            (await manager.Ask<RoomState>(new RoomRequest("r2", GetRoomState.Instance))).FindPeer("carol")!.Transports.Single().Id), 3));

        // protoo-client's reconnect: the room asks the restarted worker for a new router.
        var back = await JoinAsync(manager, "r1", "alice");
        Assert.IsType<CommandSuccess>(Request(back, createTransport, 2));
    }

    private static string RoomJson(RoomState state) => Actors.Persistence.RoomEventSerializer.ToJson(state);
}
