using System.Text;
using System.Text.Json;
using Actors.Persistence;
using Actors.Rooms;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Persistence;

public sealed class RoomEventSerializerTests() : TestKit(TestConfig.Hocon)
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 13, 0, 0, TimeSpan.Zero);
    private static readonly JsonElement Device = JsonDocument.Parse("""{"flag":"chrome","name":"Chrome"}""").RootElement;

    public static TheoryData<IRoomEvent, string> Events => new()
    {
        { new RoomCreated("r1", 2, At), "RoomCreated.v1" },
        { new PeerConnected("alice", "10.0.0.1", At), "PeerConnected.v1" },
        { new PeerJoined("alice", "Alice", Device, JsonDocument.Parse("""{"codecs":[]}""").RootElement, null, At) { RtpCapabilitiesDigest = "d1" }, "PeerJoined.v2" },
        { new PeerJoined("bob", "Bob", Device, null, null, At) { RtpCapabilitiesDigest = "d1" }, "PeerJoined.v2" },
        { new DisplayNameChanged("alice", "Al", "Alice", At), "DisplayNameChanged.v1" },
        { new PeerLeft("alice", PeerLeftReasons.Disconnected, At), "PeerLeft.v2" },
        { new PeerLeft("alice", PeerLeftReasons.TransportClosed, At) { Detail = "transport t1 dtlsstatechange failed" }, "PeerLeft.v2" },
        { new RoomRecovered("server restarted", At.AddSeconds(-5), ["alice"], 30, At), "RoomRecovered.v1" },
        { new PeerRejoined("alice", "127.0.0.1", At), "PeerRejoined.v1" },
        { new BroadcasterCreated("b1", "FFmpeg", Device, null, At), "BroadcasterCreated.v1" },
        { new BroadcasterDeleted("b1", At), "BroadcasterDeleted.v1" },
        { new RoomClosed(At), "RoomClosed.v1" },
        { new PlainTransportCreated("b1", "t1", false, true, "AES_CM_128_HMAC_SHA1_80", 40002, 40003, At) { SrtpKeyBase64 = "a2V5" }, "PlainTransportCreated.v2" },
        { new PlainTransportConnected("b1", "t1", "127.0.0.1", 5004, 5005, null, At), "PlainTransportConnected.v2" },
        { new PlainTransportConnected("b1", "t1", null, null, null, "AEAD_AES_256_GCM", At)
            { SrtpKeyBase64 = "cmVtb3Rl", LocalSrtpCryptoSuite = "AEAD_AES_256_GCM", LocalSrtpKeyBase64 = "bG9jYWw=" }, "PlainTransportConnected.v2" },
        { new ConsumerCreated("b2", "c1", "p1", "t2", "audio", "simple", false, At)
            { RtpParameters = JsonDocument.Parse("""{"codecs":[],"encodings":[{"ssrc":1234}]}""").RootElement }, "ConsumerCreated.v2" },
        { new PlainTransportRestored("b1", "t1", 40002, 40003, ["p1"], ["c1"], At), "PlainTransportRestored.v1" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Events_round_trip_as_readable_json_with_a_stable_manifest(IRoomEvent roomEvent, string manifest)
    {
        var serializer = Assert.IsType<RoomEventSerializer>(Sys.Serialization.FindSerializerFor(roomEvent));
        Assert.Equal(manifest, serializer.Manifest(roomEvent));

        var bytes = serializer.ToBinary(roomEvent);
        var json = Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"timestamp\":\"2026-11-25T13:00:00+00:00\"", json);

        var back = serializer.FromBinary(bytes, manifest);
        Assert.Equal(json, Encoding.UTF8.GetString(serializer.ToBinary(back)));
    }

    [Fact]
    public void Json_field_names_are_the_journal_schema()
    {
        var json = RoomEventSerializer.ToJson(new DisplayNameChanged("alice", "Al", "Alice", At));
        Assert.Equal("""{"peerId":"alice","displayName":"Al","oldDisplayName":"Alice","timestamp":"2026-11-25T13:00:00+00:00"}""", json);
    }

    [Fact]
    public void An_unknown_manifest_is_an_error_not_a_guess()
    {
        var serializer = new RoomEventSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary("{}"u8.ToArray(), "PeerTeleported.v1"));
    }

    [Fact]
    public void Snapshots_use_the_same_serializer()
    {
        var state = RoomState.Empty("r1").Apply(new RoomCreated("r1", 0, At)).Apply(new PeerConnected("alice", null, At));
        var serializer = Assert.IsType<RoomEventSerializer>(Sys.Serialization.FindSerializerFor(state));
        var back = (RoomState)serializer.FromBinary(serializer.ToBinary(state), serializer.Manifest(state));
        Assert.Equal("alice", Assert.Single(back.Peers).Id);
        Assert.True(back.Open);
    }

    [Fact]
    public void PeerJoined_v1_is_upcast_to_v2_with_the_digest_of_its_capabilities()
    {
        var serializer = new RoomEventSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        const string v1 = """{"peerId":"alice","displayName":"Alice","rtpCapabilities":{"codecs":[],"headerExtensions":[]},"timestamp":"2026-11-25T13:00:00+00:00"}""";

        var joined = Assert.IsType<PeerJoined>(serializer.FromBinary(Encoding.UTF8.GetBytes(v1), "PeerJoined.v1"));

        Assert.Equal(RtpCapabilitiesDigest.Of("""{"codecs":[],"headerExtensions":[]}"""), joined.RtpCapabilitiesDigest);
        Assert.Equal("""{"codecs":[],"headerExtensions":[]}""", joined.RtpCapabilities!.Value.GetRawText());
    }

    [Fact]
    public void A_v2_snapshot_keeps_its_peers_capabilities_as_digests_journaled_in_full()
    {
        var serializer = new RoomEventSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        const string v2 = """
            {"roomId":"r1","open":true,"consumerReplicas":0,"broadcasters":[],"peers":[
              {"id":"alice","joined":true,"displayName":"Alice","rtpCapabilities":{"codecs":[]},"connectedAt":"2026-11-25T13:00:00+00:00"},
              {"id":"bob","joined":true,"displayName":"Bob","rtpCapabilities":{"codecs":[]},"connectedAt":"2026-11-25T13:00:00+00:00"},
              {"id":"carol","joined":false,"connectedAt":"2026-11-25T13:00:00+00:00"}]}
            """;

        var state = Assert.IsType<RoomState>(serializer.FromBinary(Encoding.UTF8.GetBytes(v2), "RoomState.v2"));

        var digest = RtpCapabilitiesDigest.Of("""{"codecs":[]}""");
        Assert.Equal([digest, digest, null], state.Peers.Select(p => p.RtpCapabilitiesDigest));
        Assert.Equal([digest], state.RtpCapabilitiesInJournal);
        Assert.Equal("RoomState.v3", serializer.Manifest(state));
    }

    [Theory]
    [InlineData("""{"peerId":"bob","reason":"disconnected","timestamp":"2026-11-25T13:00:00+00:00"}""", "disconnected", null)]
    [InlineData("""{"peerId":"bob","reason":"transport 7f3a icestatechange disconnected","timestamp":"2026-11-25T13:00:00+00:00"}""",
        "transport-closed", "transport 7f3a icestatechange disconnected")]
    [InlineData("""{"peerId":"bob","reason":"media worker restarted","timestamp":"2026-11-25T13:00:00+00:00"}""", "media-worker-restarted", null)]
    public void PeerLeft_v1_is_upcast_to_v2(string v1, string reason, string? detail)
    {
        var serializer = new RoomEventSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        var left = Assert.IsType<PeerLeft>(serializer.FromBinary(Encoding.UTF8.GetBytes(v1), "PeerLeft.v1"));
        Assert.Equal(("bob", reason, detail, At), (left.PeerId, left.Reason, left.Detail, left.Timestamp));
        Assert.Equal("PeerLeft.v2", serializer.Manifest(left));
    }

    [Fact]
    public void Version_1_of_plain_transport_and_consumer_events_reads_as_version_2_without_keys_or_parameters()
    {
        var serializer = new RoomEventSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        var created = Assert.IsType<PlainTransportCreated>(serializer.FromBinary(Encoding.UTF8.GetBytes(
            """{"peerId":"b1","transportId":"t1","rtcpMux":false,"comedia":true,"srtpCryptoSuite":"AES_CM_128_HMAC_SHA1_80","port":40002,"rtcpPort":40003,"timestamp":"2026-11-25T13:00:00+00:00"}"""),
            "PlainTransportCreated.v1"));
        Assert.Equal((40002, 40003, "AES_CM_128_HMAC_SHA1_80", (string?)null), (created.Port, created.RtcpPort, created.SrtpCryptoSuite, created.SrtpKeyBase64));
        Assert.Equal("PlainTransportCreated.v2", serializer.Manifest(created));
        var connected = Assert.IsType<PlainTransportConnected>(serializer.FromBinary(Encoding.UTF8.GetBytes(
            """{"peerId":"b1","transportId":"t1","ip":"127.0.0.1","port":5004,"timestamp":"2026-11-25T13:00:00+00:00"}"""),
            "PlainTransportConnected.v1"));
        Assert.Equal(("127.0.0.1", 5004, (string?)null), (connected.Ip, connected.Port, connected.LocalSrtpKeyBase64));
        var consumer = Assert.IsType<ConsumerCreated>(serializer.FromBinary(Encoding.UTF8.GetBytes(
            """{"peerId":"b2","consumerId":"c1","producerId":"p1","transportId":"t2","kind":"audio","type":"simple","paused":false,"timestamp":"2026-11-25T13:00:00+00:00"}"""),
            "ConsumerCreated.v1"));
        Assert.Equal(("c1", (JsonElement?)null), (consumer.ConsumerId, consumer.RtpParameters));
        Assert.Equal("ConsumerCreated.v2", serializer.Manifest(consumer));

        // A v1 SRTP transport connected to another suite had its keys replaced then: the state knows it has none to restore.
        var state = RoomState.Empty("r1").Apply(new RoomCreated("r1", 0, At))
            .Apply(new BroadcasterCreated("b1", "FFmpeg", Device, null, At))
            .Apply(created)
            .Apply(new PlainTransportConnected("b1", "t1", null, null, null, "AEAD_AES_256_GCM", At));
        var plain = state.FindMember("b1")!.FindTransport("t1")!.Plain!;
        Assert.Equal((true, "AEAD_AES_256_GCM", (string?)null), (plain.Connected, plain.RemoteSrtpCryptoSuite, plain.SrtpKeyBase64));
    }
}
