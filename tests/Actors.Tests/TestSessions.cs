using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.TestKit;

namespace Actors.Tests;

/// <summary>A peer's session as the protoo endpoint makes it, over a <see cref="RecordingConnection"/>.</summary>
public static class TestSessions
{
    public sealed record Session(IActorRef Actor, TestProbe Wire, IActorRef Room);

    /// <summary>Starts the session, attaches it to the room (through the manager, or a room directly) and takes the mediasoup-version notification.</summary>
    public static async Task<Session> ConnectAsync(TestKitBase kit, IActorRef roomOrManager, string roomId, string peerId, string? remoteAddress = "127.0.0.1")
    {
        var wire = kit.CreateTestProbe();
        var session = kit.Sys.ActorOf(PeerSessionActor.Props(peerId, roomOrManager, new RecordingConnection(wire.Ref)));
        var attached = await session.Ask<PeerAttached>(new ConnectPeer(roomId, peerId, 0, remoteAddress), kit.RemainingOrDefault);
        Xunit.Assert.Equal("mediasoup-version", wire.ExpectMsg<Notified>().Method);
        return new Session(session, wire, attached.Room);
    }
}
