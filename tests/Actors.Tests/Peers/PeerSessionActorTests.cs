using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Peers;

public sealed class PeerSessionActorTests : TestKit
{
    private (IActorRef Peer, Akka.TestKit.TestProbe Room, Akka.TestKit.TestProbe Wire) StartPeer(TimeSpan? requestTimeout = null)
    {
        var room = CreateTestProbe();
        var wire = CreateTestProbe();
        var peer = Sys.ActorOf(PeerSessionActor.Props("alice", room.Ref, new RecordingConnection(wire.Ref),
            requestTimeout is null ? null : _ => requestTimeout.Value));
        peer.Tell(new ConnectPeer("r1", "alice", 0, null), TestActor);
        Assert.Equal("alice", room.ExpectMsg<ConnectPeer>().PeerId);
        room.Reply(new PeerAttached(room.Ref, room.Ref, "3.14.16"));
        ExpectMsg<PeerAttached>();
        var version = wire.ExpectMsg<Notified>();
        Assert.Equal("mediasoup-version", version.Method);
        Assert.Equal("""{"version":"3.14.16"}""", version.Data.ToString());
        return (peer, room, wire);
    }

    [Fact]
    public void Client_requests_go_to_the_room_and_answers_come_back_on_the_wire()
    {
        var (peer, room, wire) = StartPeer();
        peer.Tell(new ClientRequest(7, new GetRouterRtpCapabilities()));
        var command = room.ExpectMsg<PeerCommand>();
        Assert.Equal(("alice", 7), (command.PeerId, command.RequestId));

        room.Reply(new PeerCommandResult(7, CommandResult.Ok(new { answer = 42 })));
        var responded = wire.ExpectMsg<Responded>();
        Assert.Equal(7, responded.RequestId);
        Assert.IsType<CommandSuccess>(responded.Result);
    }

    [Fact]
    public void A_server_request_completes_with_the_client_response()
    {
        var (peer, _, wire) = StartPeer();
        var requester = CreateTestProbe();
        peer.Tell(new RequestPeer("newConsumer", JsonData.Of(new { id = "c1" })), requester.Ref);
        var sent = wire.ExpectMsg<Requested>();
        Assert.Equal("newConsumer", sent.Method);
        Assert.InRange(sent.RequestId, 0, 10_000_000);

        peer.Tell(new ClientResponse(sent.RequestId, true, JsonDocument.Parse("{}").RootElement, null, null));
        var result = requester.ExpectMsg<PeerRequestResult>();
        Assert.True(result.Ok);
        Assert.Equal("newConsumer", result.Method);
    }

    [Fact]
    public void A_server_request_without_answer_times_out()
    {
        var (peer, _, wire) = StartPeer(TimeSpan.FromMilliseconds(200));
        var requester = CreateTestProbe();
        peer.Tell(new RequestPeer("newConsumer", JsonData.EmptyObject), requester.Ref);
        var sent = wire.ExpectMsg<Requested>();

        var result = requester.ExpectMsg<PeerRequestResult>(TimeSpan.FromSeconds(3));
        Assert.False(result.Ok);
        Assert.Equal("request timeout", result.ErrorReason);

        peer.Tell(new ClientResponse(sent.RequestId, true, null, null, null));
        requester.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Closing_the_connection_tells_the_room_and_fails_pending_requests()
    {
        var (peer, room, wire) = StartPeer();
        var requester = CreateTestProbe();
        peer.Tell(new RequestPeer("newDataConsumer", JsonData.EmptyObject), requester.Ref);
        wire.ExpectMsg<Requested>();

        peer.Tell(ConnectionClosed.Instance);
        Assert.Equal("alice", room.ExpectMsg<PeerDisconnected>().PeerId);
        Assert.Equal("peer closed", requester.ExpectMsg<PeerRequestResult>().ErrorReason);
        wire.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_replaced_peer_is_closed_with_4000_and_a_stopped_room_closes_with_1001()
    {
        var (replaced, _, replacedWire) = StartPeer();
        replaced.Tell(ClosePeer.ByServer);
        Assert.Equal(new ClosedWith(4000, "closed by protoo-server"), replacedWire.ExpectMsg<ClosedWith>());

        var (orphaned, _, orphanedWire) = StartPeer();
        Sys.Stop(orphaned);
        Assert.Equal(1001, orphanedWire.ExpectMsg<ClosedWith>().Code);
    }
}
