using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Rooms;

/// <summary>A room journals each RTP capability set once: later joins with the same set carry its digest only.</summary>
public sealed class RtpCapabilitiesInJournalTests() : TestKit(TestConfig.Hocon)
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly JsonElement Device = JsonDocument.Parse("""{"flag":"chrome","name":"Chrome","version":"131"}""").RootElement;

    private static JsonElement Capabilities(int variant) =>
        JsonDocument.Parse($$"""{"codecs":[{"kind":"audio","mimeType":"audio/opus","preferredPayloadType":{{100 + variant % 27}},"clockRate":48000,"channels":2}],"headerExtensions":[],"variant":{{variant}}}""").RootElement;

    [Fact]
    public async Task A_second_join_with_the_same_capabilities_journals_only_their_digest()
    {
        var room = Sys.ActorOf(RoomManagerActor.Props(TestConfig.Settings()));
        foreach (var (peerId, variant) in new[] { ("alice", 1), ("bob", 1), ("carol", 2) })
        {
            var (session, wire, _) = await TestSessions.ConnectAsync(this, room, "caps", peerId);
            session.Tell(new ClientRequest(1, new Join(peerId, Device, Capabilities(variant), null)));
            wire.FishForMessage(m => m is Responded { Result: CommandSuccess });
        }

        var joins = (await Journal.ReadAsync(Sys, "room-caps")).OfType<PeerJoined>().ToList();

        Assert.Equal(["alice", "bob", "carol"], joins.Select(j => j.PeerId));
        Assert.Equal([RtpCapabilitiesDigest.Of(Capabilities(1)), RtpCapabilitiesDigest.Of(Capabilities(1)), RtpCapabilitiesDigest.Of(Capabilities(2))],
            joins.Select(j => j.RtpCapabilitiesDigest));
        Assert.Equal([true, false, true], joins.Select(j => j.RtpCapabilities is not null));
    }

    [Fact]
    public void The_room_remembers_a_bounded_number_of_sets_and_forgets_the_oldest()
    {
        var state = RoomState.Empty("r1").Apply(new RoomCreated("r1", 0, At));
        for (var variant = 0; variant <= RtpCapabilitiesDigest.MaxRemembered; variant++)
        {
            var peerId = $"p{variant}";
            state = state.Apply(new PeerConnected(peerId, null, At))
                .Apply(new PeerJoined(peerId, peerId, Device, Capabilities(variant), null, At) { RtpCapabilitiesDigest = RtpCapabilitiesDigest.Of(Capabilities(variant)) });
        }

        Assert.Equal(RtpCapabilitiesDigest.MaxRemembered, state.RtpCapabilitiesInJournal.Count);
        Assert.DoesNotContain(RtpCapabilitiesDigest.Of(Capabilities(0)), state.RtpCapabilitiesInJournal);
        Assert.Contains(RtpCapabilitiesDigest.Of(Capabilities(RtpCapabilitiesDigest.MaxRemembered)), state.RtpCapabilitiesInJournal);
    }

    [Fact]
    public void A_join_that_carries_only_a_digest_does_not_mark_a_set_as_journaled()
    {
        var state = RoomState.Empty("r1").Apply(new RoomCreated("r1", 0, At)).Apply(new PeerConnected("alice", null, At))
            .Apply(new PeerJoined("alice", "Alice", Device, null, null, At) { RtpCapabilitiesDigest = "d1" });

        Assert.Empty(state.RtpCapabilitiesInJournal);
        Assert.Equal("d1", state.FindPeer("alice")!.RtpCapabilitiesDigest);
    }
}
