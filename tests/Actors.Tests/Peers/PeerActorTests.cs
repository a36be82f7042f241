using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Peers;

/// <summary>A member's actor with probes as its room and its session.</summary>
public sealed class PeerActorTests : TestKit
{
    private static readonly object RouterCapabilities = new { codecs = Array.Empty<object>() };

    private (IActorRef Peer, Akka.TestKit.TestProbe Room, Akka.TestKit.TestProbe Session) Start(IReadOnlyList<string>? permissions = null)
    {
        var room = CreateTestProbe();
        var session = CreateTestProbe();
        var peer = Sys.ActorOf(PeerActor.Props(new PeerStatus("alice", false, null, permissions), session.Ref, RouterCapabilities, room.Ref));
        return (peer, room, session);
    }

    [Fact]
    public void It_gates_media_until_the_join_which_the_room_completes()
    {
        var (peer, room, session) = Start();

        peer.Tell(new PeerCommand("alice", 1, new ChangeDisplayName("A")));
        var refused = room.ExpectMsg<ChildDecision>();
        Assert.Empty(refused.Events);
        var answer = Assert.IsType<PeerCommandResult>(Assert.Single(refused.Messages, m => Equals(m.To, session.Ref)).Message);
        Assert.Equal((1, "Peer not yet joined"), (answer.RequestId, (answer.Result as CommandFailure)?.Message));

        peer.Tell(new PeerCommand("alice", 2, new Join("Alice", null, null, null)));
        var joining = room.ExpectMsg<PeerJoining>();
        Assert.Equal(("alice", "Alice"), (joining.Event.PeerId, joining.Event.DisplayName));
        Assert.Equal((2, session.Ref), (joining.Request.RequestId, joining.Request.ReplyTo));

        peer.Tell(new PeerCommand("alice", 3, new ChangeDisplayName("Alicia")));
        var renamed = room.ExpectMsg<ChildDecision>();
        Assert.Equal(new DisplayNameChanged("alice", "Alicia", "Alice", default), Assert.IsType<DisplayNameChanged>(Assert.Single(renamed.Events)) with { Timestamp = default });
        Assert.IsType<CommandSuccess>(Assert.IsType<PeerCommandResult>(Assert.Single(renamed.Messages).Message).Result);

        peer.Tell(new PeerCommand("alice", 4, new Join("Alice", null, null, null)));
        Assert.Equal("Peer already joined", (Assert.IsType<PeerCommandResult>(Assert.Single(room.ExpectMsg<ChildDecision>().Messages).Message).Result as CommandFailure)?.Message);
    }

    [Fact]
    public void It_answers_router_capabilities_and_passes_its_media_requests_and_its_departure_to_the_room()
    {
        var (peer, room, session) = Start();

        peer.Tell(new PeerCommand("alice", 1, new GetRouterRtpCapabilities()));
        var capabilities = Assert.IsType<PeerCommandResult>(Assert.Single(room.ExpectMsg<ChildDecision>().Messages, m => Equals(m.To, session.Ref)).Message);
        Assert.Equal("""{"codecs":[]}""", Assert.IsType<CommandSuccess>(capabilities.Result).Data!.ToString());

        peer.Tell(new PeerCommand("alice", 2, new CreateWebRtcTransport(false, true, false, null)));
        Assert.Equal(2, room.ExpectMsg<PeerCommand>().RequestId);
        Assert.Equal(peer, room.LastSender);
        peer.Tell(new PeerDisconnected("alice"));
        Assert.Equal("alice", room.ExpectMsg<PeerDisconnected>().PeerId);
    }

    [Fact]
    public void What_its_token_does_not_allow_is_refused_here()
    {
        var (peer, room, _) = Start([Permission.Join, Permission.Consume]);
        peer.Tell(new PeerCommand("alice", 1, new Join("Alice", null, null, null)));
        room.ExpectMsg<PeerJoining>();

        peer.Tell(new PeerCommand("alice", 2, new Produce("t1", "audio", default, null)));
        var refused = Assert.IsType<PeerCommandResult>(Assert.Single(room.ExpectMsg<ChildDecision>().Messages).Message);
        Assert.Equal(403, (refused.Result as CommandFailure)?.ProtooErrorCode);
    }
}
