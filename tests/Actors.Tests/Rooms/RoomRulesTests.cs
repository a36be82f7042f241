using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;

namespace Actors.Tests.Rooms;

/// <summary>The room's membership rules, as pure functions over the state: no actor system.</summary>
public sealed class RoomRulesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T10:00:00Z");
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;
    private static readonly JsonElement Capabilities = JsonDocument.Parse("""{"codecs":[{"kind":"audio","mimeType":"audio/opus","clockRate":48000,"channels":2}]}""").RootElement;

    private static RoomState Room(params IRoomEvent[] events) =>
        events.Aggregate(RoomState.Empty("r"), (state, e) => state.Apply(e));

    private static RoomState Joined(params string[] peers) => Room([
        new RoomCreated("r", 0, Now),
        .. peers.SelectMany(p => new IRoomEvent[] { new PeerConnected(p, null, Now), new PeerJoined(p, p, null, null, null, Now) }),
    ]);

    /// <summary>Alice produces on her transport, Bob consumes it on his.</summary>
    private static RoomState AliceProducingToBob() => Joined("alice", "bob")
        .Apply(new TransportCreated("alice", "ta", false, true, false, null, Now))
        .Apply(new ProducerCreated("alice", "p1", "ta", "audio", "simple", Empty, Empty, false, Now))
        .Apply(new TransportCreated("bob", "tb", false, false, true, null, Now))
        .Apply(new ConsumerCreated("bob", "c1", "p1", "tb", "audio", "simple", true, Now));

    [Fact]
    public void Connecting_to_a_closed_room_opens_it()
    {
        var events = RoomRules.Connect(RoomState.Empty("r"), "alice", "127.0.0.1", 2, returning: false, Now);

        Assert.Equal([new RoomCreated("r", 2, Now), new PeerConnected("alice", "127.0.0.1", Now)], events);
    }

    [Fact]
    public void A_second_connection_with_the_same_id_replaces_the_member_and_its_media()
    {
        var events = RoomRules.Connect(AliceProducingToBob(), "alice", null, 0, returning: false, Now);

        Assert.Equal(
            [
                new ConsumerClosed("bob", "c1", "producer closed", Now),
                new ProducerClosed("alice", "p1", PeerLeftReasons.Replaced, Now),
                new PeerLeft("alice", PeerLeftReasons.Replaced, Now),
                new PeerConnected("alice", null, Now),
            ],
            events);
    }

    [Fact]
    public void A_member_returning_after_a_recovery_is_the_same_member_without_its_media()
    {
        var events = RoomRules.Connect(AliceProducingToBob(), "alice", null, 0, returning: true, Now);

        Assert.Equal(
            [
                new ConsumerClosed("bob", "c1", "producer closed", Now),
                new ProducerClosed("alice", "p1", PeerLeftReasons.Replaced, Now),
                new PeerRejoined("alice", null, Now),
            ],
            events);
    }

    [Fact]
    public void A_capability_set_is_journaled_once_and_named_by_its_digest_after()
    {
        var room = Room(new RoomCreated("r", 0, Now), new PeerConnected("alice", null, Now), new PeerConnected("bob", null, Now));
        var digest = RtpCapabilitiesDigest.Of(Capabilities);
        PeerJoined Joining(string peerId) => new(peerId, peerId, null, Capabilities, null, Now) { RtpCapabilitiesDigest = digest };

        var alice = RoomRules.JournalCapabilitiesOnce(room, Joining("alice"));
        var bob = RoomRules.JournalCapabilitiesOnce(room.Apply(alice), Joining("bob"));

        Assert.NotNull(alice.RtpCapabilities);
        Assert.Null(bob.RtpCapabilities);
        Assert.Equal(digest, alice.RtpCapabilitiesDigest);
        Assert.Equal(digest, bob.RtpCapabilitiesDigest);
    }

    [Fact]
    public void The_last_connected_member_to_leave_closes_the_room()
    {
        var room = AliceProducingToBob();

        var aliceLeaves = RoomRules.Leave(room, "alice", PeerLeftReasons.Disconnected, null, lastConnected: false, Now);
        Assert.Equal(
            [
                new ConsumerClosed("bob", "c1", "producer closed", Now),
                new ProducerClosed("alice", "p1", PeerLeftReasons.Disconnected, Now),
                new PeerLeft("alice", PeerLeftReasons.Disconnected, Now),
            ],
            aliceLeaves);

        var bobLeaves = RoomRules.Leave(aliceLeaves.Aggregate(room, (s, e) => s.Apply(e)), "bob", PeerLeftReasons.TransportClosed, "transport tb dtlsstatechange failed",
            lastConnected: true, Now);
        Assert.Equal(
            [new PeerLeft("bob", PeerLeftReasons.TransportClosed, Now) { Detail = "transport tb dtlsstatechange failed" }, new RoomClosed(Now)],
            bobLeaves);
    }
}
