using System.Text.Json;
using Actors.Persistence;
using Actors.Rooms;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Rooms;

/// <summary>A broadcaster's media goes through the peers' events: transports, producers, consumers of them, and its deletion.</summary>
public sealed class BroadcasterStateTests() : TestKit(TestConfig.Hocon)
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 13, 0, 0, TimeSpan.Zero);
    private static readonly JsonElement Device = JsonDocument.Parse("""{"flag":"broadcaster","name":"FFmpeg"}""").RootElement;
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    private static RoomState WithBroadcastingRoom() => RoomState.Empty("r1")
        .Apply(new RoomCreated("r1", 0, At))
        .Apply(new PeerConnected("alice", null, At))
        .Apply(new PeerJoined("alice", "Alice", null, null, null, At))
        .Apply(new TransportCreated("alice", "ta", false, false, true, null, At))
        .Apply(new BroadcasterCreated("b1", "FFmpeg", Device, null, At))
        .Apply(new PlainTransportCreated("b1", "tb", false, true, null, 40000, 40001, At))
        .Apply(new PlainTransportConnected("b1", "tb", null, null, null, null, At))
        .Apply(new ProducerCreated("b1", "p1", "tb", "audio", "simple", Empty, Empty, false, At))
        .Apply(new ConsumerCreated("alice", "c1", "p1", "ta", "audio", "simple", true, At));

    [Fact]
    public void Broadcaster_media_is_found_like_a_peers()
    {
        var state = WithBroadcastingRoom();

        var transport = Assert.Single(state.FindMember("b1")!.Transports);
        Assert.Equal("plain", transport.Type);
        Assert.True(transport.Connected);
        Assert.Equal("b1", state.FindProducerAnywhere("p1")!.Value.Peer.Id);
        Assert.Equal("alice", Assert.Single(state.ConsumersOf("p1")).Peer.Id);
        Assert.Null(state.FindPeer("b1"));
        Assert.Equal(["alice", "b1"], state.Members.Select(m => m.Id));
    }

    [Fact]
    public void Deleting_a_broadcaster_removes_the_consumers_of_its_producers()
    {
        var state = WithBroadcastingRoom().Apply(new BroadcasterDeleted("b1", At));

        Assert.Empty(state.Broadcasters);
        Assert.Empty(state.FindPeer("alice")!.Consumers);
        Assert.Null(state.FindProducerAnywhere("p1"));
    }

    [Fact]
    public void Closing_a_broadcaster_transport_closes_its_producers_and_their_consumers()
    {
        var state = WithBroadcastingRoom().Apply(new TransportClosed("b1", "tb", "server restarted", At));

        Assert.Empty(state.FindMember("b1")!.Transports);
        Assert.Empty(state.FindMember("b1")!.Producers);
        Assert.Empty(state.FindPeer("alice")!.Consumers);
    }

    [Fact]
    public void A_snapshot_keeps_broadcaster_media()
    {
        var state = WithBroadcastingRoom();
        var serializer = Assert.IsType<RoomEventSerializer>(Sys.Serialization.FindSerializerFor(state));
        var back = (RoomState)serializer.FromBinary(serializer.ToBinary(state), serializer.Manifest(state));

        Assert.Equal("p1", Assert.Single(back.FindMember("b1")!.Producers).Id);
        Assert.Equal("plain", back.FindMember("b1")!.Transports[0].Type);
        Assert.Equal("FFmpeg", back.FindBroadcaster("b1")!.DisplayName);
    }
}
