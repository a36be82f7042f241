using System.Text.Json;
using Actors.Media;
using Actors.Peers;
using Actors.Rooms;
using Actors.Transports;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using MediaEngine.Transports;

namespace Actors.Tests.Transports;

/// <summary>A WebRTC transport's actor over a real router, with probes as its room, its owner's session and a client.</summary>
public sealed class TransportActorTests() : TestKit(TestConfig.Hocon)
{
    private TestProbe? _room;
    private TestProbe? _session;
    private TestProbe? _client;

    private TestProbe Room => _room ??= CreateTestProbe();

    private TestProbe Session => _session ??= CreateTestProbe();

    private TestProbe Client => _client ??= CreateTestProbe();

    [Fact]
    public async Task Restart_ice_answers_new_credentials_and_decides_its_event()
    {
        var (transport, description) = await StartAsync();

        transport.Tell(new DelegatedRequest(7, new RestartIce(description.Id), Client.Ref));

        var decision = Room.ExpectMsg<ChildDecision>();
        var restarted = Assert.IsType<IceRestarted>(Assert.Single(decision.Events));
        Assert.Equal(("alice", description.Id), (restarted.PeerId, restarted.TransportId));
        var answer = AnswerIn(decision);
        Assert.Equal(7, answer.RequestId);
        var ice = JsonDocument.Parse(Assert.IsType<CommandSuccess>(answer.Result).Data!.Utf8).RootElement;
        Assert.NotEqual(description.IceParameters.UsernameFragment, ice.GetProperty("usernameFragment").GetString());
        Assert.True(ice.GetProperty("iceLite").GetBoolean());
    }

    [Fact]
    public async Task Restart_ice_past_its_rate_is_refused_without_an_event()
    {
        var (transport, description) = await StartAsync(restartIcePerMinute: 2);

        for (var i = 1; i <= 3; i++)
            transport.Tell(new DelegatedRequest(i, new RestartIce(description.Id), Client.Ref));

        Assert.Single(Room.ExpectMsg<ChildDecision>().Events);
        Assert.Single(Room.ExpectMsg<ChildDecision>().Events);
        var refused = Room.ExpectMsg<ChildDecision>();
        Assert.Empty(refused.Events);
        var failure = Assert.IsType<CommandFailure>(AnswerIn(refused).Result);
        Assert.Equal((429, "too many restartIce (limit 2 per minute)"), (failure.ProtooErrorCode, failure.Message));
    }

    [Fact]
    public async Task Connect_checks_its_parameters_and_an_http_caller_gets_a_bare_answer()
    {
        var (transport, description) = await StartAsync();

        transport.Tell(new DelegatedRequest(1, new ConnectWebRtcTransport(description.Id, "boss", [new FingerprintParameter("sha-256", "AB")]), Client.Ref));
        Assert.Equal("TypeError", Assert.IsType<CommandFailure>(AnswerIn(Room.ExpectMsg<ChildDecision>()).Result).ErrorName);

        transport.Tell(new DelegatedRequest(null, new ConnectWebRtcTransport(description.Id, "client",
            [new FingerprintParameter("sha-256", string.Join(':', Enumerable.Repeat("AB", 32)))]), Client.Ref));
        var connected = Room.ExpectMsg<ChildDecision>();
        Assert.Equal("client", Assert.IsType<TransportConnected>(Assert.Single(connected.Events)).RemoteDtlsRole);
        Assert.IsType<CommandSuccess>(Assert.Single(connected.Messages).Message);

        transport.Tell(new DelegatedRequest(2, new GetTransportStats(description.Id), Client.Ref));
        var stats = AnswerIn(Room.ExpectMsg<ChildDecision>());
        Assert.Contains("\"type\":\"webrtc-transport\"", Assert.IsType<CommandSuccess>(stats.Result).Data!.ToString());
    }

    [Fact]
    public async Task The_remote_ending_it_is_reported_to_the_room_and_this_side_closing_it_is_not()
    {
        var (transport, description) = await StartAsync();

        transport.Tell(new TransportEvent(description.Id, TransportEventKind.IceStateChange, "connected"));
        transport.Tell(new TransportEvent(description.Id, TransportEventKind.DtlsStateChange, "closed") { WhileClosing = true });
        Room.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        transport.Tell(new TransportEvent(description.Id, TransportEventKind.DtlsStateChange, "failed"));
        var failed = Room.ExpectMsg<TransportFailed>();
        Assert.Equal(("alice", $"transport {description.Id} dtlsstatechange failed"), (failed.OwnerId, failed.Detail));
    }

    [Fact]
    public async Task Its_bandwidth_estimate_goes_to_its_owner_as_downlinkBwe()
    {
        var (transport, description) = await StartAsync();

        transport.Tell(new TransportEvent(description.Id, TransportEventKind.Bwe, "")
        {
            Bandwidth = new BandwidthTrace(DesiredBitrate: 900_000, EffectiveDesiredBitrate: 800_000, AvailableBitrate: 1_000_000),
        });

        var notification = Assert.IsType<NotifyPeer>(Assert.Single(Room.ExpectMsg<ChildDecision>().Messages, m => Equals(m.To, Session.Ref)).Message);
        Assert.Equal("downlinkBwe", notification.Method);
        Assert.Equal("""{"desiredBitrate":900000,"effectiveDesiredBitrate":800000,"availableBitrate":1000000}""", notification.Data.ToString());
    }

    [Fact]
    public async Task A_plain_transports_connect_journals_both_sides_srtp_keys_and_a_bad_key_is_a_type_error()
    {
        var workers = Sys.ActorOf(MediaWorkersActor.Props(TestConfig.Media));
        var router = (await workers.Ask<RouterCreated>(new CreateRouter("r2", ActorRefs.Nobody))).Router;
        var plain = await router.CreatePlainTransportAsync(
            new PlainTransportOptions(RtcpMux: true, Comedia: true, EnableSrtp: true, MediaEngine.Srtp.SrtpParameters.DefaultProfile), _ => { });
        var transport = Sys.ActorOf(TransportActor.Props(new TransportSpec(plain.Id, "ffmpeg", ActorRefs.Nobody), router, Room.Ref));

        transport.Tell(new DelegatedRequest(null, new ConnectPlainTransport(null, null, null, "AES_CM_128_HMAC_SHA1_80", "c2hvcnQ=", true), Client.Ref));
        var refused = Room.ExpectMsg<ChildDecision>();
        Assert.Empty(refused.Events);
        Assert.Equal("TypeError", Assert.IsType<CommandFailure>(Assert.Single(refused.Messages).Message).ErrorName);

        var key = Convert.ToBase64String(Enumerable.Range(1, 30).Select(i => (byte)i).ToArray());
        transport.Tell(new DelegatedRequest(null, new ConnectPlainTransport(null, null, null, "AES_CM_128_HMAC_SHA1_80", key, true), Client.Ref));
        var connected = Room.ExpectMsg<ChildDecision>();
        var journaled = Assert.IsType<PlainTransportConnected>(Assert.Single(connected.Events));
        Assert.Equal(("ffmpeg", plain.Id, key), (journaled.PeerId, journaled.TransportId, journaled.SrtpKeyBase64));
        Assert.NotNull(journaled.LocalSrtpKeyBase64);
        var answer = Assert.IsType<CommandSuccess>(Assert.Single(connected.Messages).Message);
        Assert.Contains(journaled.LocalSrtpKeyBase64!, answer.Data!.ToString());
    }

    private PeerCommandResult AnswerIn(ChildDecision decision) =>
        Assert.IsType<PeerCommandResult>(Assert.Single(decision.Messages, m => Equals(m.To, Client.Ref)).Message);

    private async Task<(IActorRef Transport, WebRtcTransportDescription Description)> StartAsync(int restartIcePerMinute = 30)
    {
        var workers = Sys.ActorOf(MediaWorkersActor.Props(TestConfig.Media));
        var router = (await workers.Ask<RouterCreated>(new CreateRouter("r1", ActorRefs.Nobody))).Router;
        var description = await router.CreateWebRtcTransportAsync(new WebRtcTransportOptions(), _ => { });
        var transport = Sys.ActorOf(TransportActor.Props(new TransportSpec(description.Id, "alice", Session.Ref, restartIcePerMinute), router, Room.Ref));
        return (transport, description);
    }
}
