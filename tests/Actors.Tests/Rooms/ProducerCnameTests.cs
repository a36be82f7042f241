using System.Text.Json;
using Actors.Rooms;

namespace Actors.Tests.Rooms;

/// <summary>One RTCP CNAME per producing transport, fixed by its first producer, as in mediasoup's Transport.produce.</summary>
public sealed class ProducerCnameTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    private static JsonElement WithCname(string? cname) =>
        JsonDocument.Parse(cname is null ? """{"codecs":[]}""" : $$$"""{"codecs":[],"rtcp":{"cname":"{{{cname}}}","reducedSize":true}}""").RootElement;

    private static RoomState RoomWithTransport() => RoomState.Empty("r1")
        .Apply(new RoomCreated("r1", 0, At))
        .Apply(new PeerConnected("alice", null, At))
        .Apply(new TransportCreated("alice", "t1", false, true, false, null, At));

    private static TransportState Transport(RoomState state) => state.FindPeer("alice")!.FindTransport("t1")!;

    [Fact]
    public void The_first_producer_with_a_cname_fixes_the_transports_and_later_ones_keep_it()
    {
        var state = RoomWithTransport()
            .Apply(new ProducerCreated("alice", "p1", "t1", "audio", "simple", WithCname("first"), Empty, false, At))
            .Apply(new ProducerCreated("alice", "p2", "t1", "video", "simple", WithCname("second"), Empty, false, At));

        Assert.Equal("first", Transport(state).ProducerCname);
        Assert.Equal("first", ProducerCname.For(Transport(state), "third"));
        Assert.Equal("first", ProducerCname.For(Transport(state), ""));
    }

    [Fact]
    public void The_transports_cname_outlives_its_producers()
    {
        var state = RoomWithTransport()
            .Apply(new ProducerCreated("alice", "p1", "t1", "audio", "simple", WithCname("first"), Empty, false, At))
            .Apply(new ProducerClosed("alice", "p1", "closed by client", At));

        Assert.Equal("first", ProducerCname.For(Transport(state), "later"));
    }

    [Fact]
    public void Without_a_cname_so_far_a_given_one_is_taken_and_an_empty_or_missing_one_is_generated()
    {
        var fresh = Transport(RoomWithTransport());

        Assert.Equal("given", ProducerCname.For(fresh, "given"));
        Assert.Matches("^[0-9a-f]{8}$", ProducerCname.For(fresh, ""));
        Assert.Matches("^[0-9a-f]{8}$", ProducerCname.For(fresh, null));
    }

    [Fact]
    public void A_journaled_producer_without_a_cname_leaves_the_transport_without_one()
    {
        var state = RoomWithTransport()
            .Apply(new ProducerCreated("alice", "p1", "t1", "video", "simulcast", WithCname(""), Empty, false, At))
            .Apply(new ProducerCreated("alice", "p2", "t1", "video", "simulcast", WithCname(null), Empty, false, At));

        Assert.Null(Transport(state).ProducerCname);
    }
}
