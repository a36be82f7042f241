using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;

namespace Actors.Tests.Peers;

/// <summary>A member's own rules (join gate, token, join, rename), as pure functions: no actor system.</summary>
public sealed class PeerStatusTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T10:00:00Z");
    private static readonly JsonElement Capabilities = JsonDocument.Parse("""{"codecs":[{"kind":"audio","mimeType":"audio/opus","clockRate":48000,"channels":2}]}""").RootElement;
    private static readonly JsonElement Any = JsonDocument.Parse("{}").RootElement;
    private static readonly PeerStatus Connected = new("alice", Joined: false, DisplayName: null, Permissions: null);

    [Fact]
    public void A_peer_joins_once_with_its_capabilities_named_by_their_digest()
    {
        var first = Connected.Join(new Join("Alice", null, Capabilities, null), Now);
        Assert.Null(first.Refusal);
        var joined = Assert.IsType<PeerJoined>(Assert.Single(first.Events));
        Assert.Equal(("alice", "Alice", RtpCapabilitiesDigest.Of(Capabilities)), (joined.PeerId, joined.DisplayName, joined.RtpCapabilitiesDigest));
        Assert.NotNull(joined.RtpCapabilities);

        var again = Connected.Apply(joined).Join(new Join("Alice", null, Capabilities, null), Now);
        Assert.Equal("Peer already joined", again.Refusal);
        Assert.Empty(again.Events);
    }

    [Fact]
    public void Renaming_needs_a_joined_peer_and_records_the_old_name()
    {
        Assert.Equal("Peer not yet joined", Connected.Rename("A", Now).Refusal);

        var joined = Connected.Apply(new PeerJoined("alice", "Alice", null, null, null, Now));
        var renamed = Assert.IsType<DisplayNameChanged>(Assert.Single(joined.Rename("Alicia", Now).Events));
        Assert.Equal(new DisplayNameChanged("alice", "Alicia", "Alice", Now), renamed);
        Assert.Equal("Alicia", joined.Apply(renamed).DisplayName);
        Assert.Equal("Alice", joined.Apply(new DisplayNameChanged("bob", "Bobby", "Bob", Now)).DisplayName);
    }

    [Fact]
    public void Media_requests_wait_for_the_join_except_stats_and_setup()
    {
        Assert.Equal("Peer not yet joined", Connected.Refusal(new Produce("t1", "audio", Any, null))?.Message);
        Assert.Equal("Peer not yet joined", Connected.Refusal(new ProducerRequest("closeProducer", "p1"))?.Message);
        Assert.Equal("Peer not yet joined", Connected.Refusal(new MalformedRequest("produce", "bad"))?.Message);
        Assert.Null(Connected.Refusal(new ProducerRequest("getProducerStats", "p1")));
        Assert.Null(Connected.Refusal(new ConsumerRequest("getConsumerStats", "c1")));
        Assert.Null(Connected.Refusal(new CreateWebRtcTransport(false, true, false, null)));
        Assert.Null(Connected.Refusal(new GetRouterRtpCapabilities()));
    }

    [Fact]
    public void A_token_without_produce_or_data_refuses_those_once_joined()
    {
        var viewer = (Connected with { Permissions = [Permission.Join, Permission.Consume] })
            .Apply(new PeerJoined("alice", "Alice", null, null, null, Now));

        var produce = viewer.Refusal(new Produce("t1", "video", Any, null));
        Assert.Equal((403, "not allowed to produce"), (produce?.ProtooErrorCode, produce?.Message));
        Assert.Equal("not allowed to produce data", viewer.Refusal(new ProduceData("t1", Any, "chat", "", null))?.Message);
        Assert.Null(viewer.Refusal(new ChangeDisplayName("A")));
    }
}
