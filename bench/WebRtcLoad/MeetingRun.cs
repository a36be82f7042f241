using System.Text.Json.Nodes;
using MediaEngine.Dtls;

namespace WebRtcLoad;

/// <param name="Rooms">Meetings, each in its own room (and router).</param>
/// <param name="PeersPerRoom">Peers per meeting; each sends audio and video and receives everyone else's.</param>
public sealed record MeetingOptions(Uri Server, int Rooms, int PeersPerRoom, int Concurrency, double Seconds, int? ServerPid);

/// <summary>
/// Meetings: every peer joins as mediasoup-client's app does with a send and a receive transport,
/// connects both (ICE, DTLS), produces Opus and VP8 over SRTP (<see cref="MediaSender"/>) and
/// consumes what the others in its room send.
/// </summary>
public static class MeetingRun
{
    private static int _nextSsrc = 100_000;

    public static async Task<LoadReport> RunAsync(MeetingOptions options, TextWriter log)
    {
        var handshakes = new DtlsHandshakePool();
        using var receivers = new ReceiverLoop();
        using var sender = new MediaSender();
        var before = ServerSample.Read(options.ServerPid);
        var run = Guid.NewGuid().ToString("N")[..6];
        log.WriteLine($"{options.Rooms} meetings of {options.PeersPerRoom}, {options.Concurrency} peers joining at a time");
        return await LoadRun.MeasureAsync(
            new LoadRun.Scenario(options.Rooms * options.PeersPerRoom, options.Concurrency, options.Seconds, options.ServerPid, before,
                index => JoinAsync(options, $"meeting-{run}-{index % options.Rooms}", index, handshakes, receivers, sender),
                () => sender.PacketsSent,
                _ => options.PeersPerRoom - 1)
            {
                BeforeTeardown = sender.Dispose,
            },
            log);
    }

    private static async Task<LoadRun.JoinedPeer> JoinAsync(MeetingOptions options, string roomId, int index,
        DtlsHandshakePool handshakes, ReceiverLoop receivers, MediaSender sender)
    {
        var peer = await ProtooPeer.ConnectAsync(options.Server, roomId, $"peer-{index}");
        var transports = new List<ClientTransport>();
        try
        {
            var capabilities = (await peer.RequestAsync("getRouterRtpCapabilities"))!;
            var sending = await CreateTransportAsync(peer, producing: true, handshakes, receivers);
            transports.Add(sending);
            var receiving = await CreateTransportAsync(peer, producing: false, handshakes, receivers);
            transports.Add(receiving);
            await peer.RequestAsync("join", new JsonObject
            {
                ["displayName"] = $"peer {index}",
                ["device"] = new JsonObject { ["flag"] = "webrtc-load", ["name"] = "WebRtcLoad", ["version"] = "1" },
                ["rtpCapabilities"] = capabilities.DeepClone(),
            });
            await Task.WhenAll(transports.Select(t => t.ConnectAsync(
                () => peer.RequestAsync("connectWebRtcTransport", new JsonObject { ["transportId"] = t.Id, ["dtlsParameters"] = ClientTransport.DtlsParameters }),
                TimeSpan.FromSeconds(30))));
            var audioSsrc = (uint)Interlocked.Increment(ref _nextSsrc);
            var videoSsrc = (uint)Interlocked.Increment(ref _nextSsrc);
            await peer.RequestAsync("produce", Produce(sending.Id, "audio", Opus(audioSsrc, index)));
            await peer.RequestAsync("produce", Produce(sending.Id, "video", Vp8(videoSsrc, index)));
            sender.Add(sending, audioSsrc, videoSsrc);
            return new LoadRun.JoinedPeer(peer, transports, receiving);
        }
        catch
        {
            foreach (var transport in transports)
                await transport.DisposeAsync();
            await peer.DisposeAsync();
            throw;
        }
    }

    private static async Task<ClientTransport> CreateTransportAsync(ProtooPeer peer, bool producing, DtlsHandshakePool handshakes, ReceiverLoop receivers)
    {
        var created = (await peer.RequestAsync("createWebRtcTransport", new JsonObject
        {
            ["forceTcp"] = false,
            ["producing"] = producing,
            ["consuming"] = !producing,
        }))!;
        return new ClientTransport(created, handshakes, receivers);
    }

    private static JsonObject Produce(string transportId, string kind, JsonObject rtpParameters) => new()
    {
        ["transportId"] = transportId,
        ["kind"] = kind,
        ["rtpParameters"] = rtpParameters,
        ["appData"] = new JsonObject(),
    };

    private static JsonObject Opus(uint ssrc, int index) => RtpParameters("0", ssrc, index, new JsonObject
    {
        ["mimeType"] = "audio/opus",
        ["payloadType"] = MediaSender.OpusPayloadType,
        ["clockRate"] = 48000,
        ["channels"] = 2,
        ["parameters"] = new JsonObject { ["minptime"] = 10, ["useinbandfec"] = 1 },
        ["rtcpFeedback"] = new JsonArray(),
    });

    private static JsonObject Vp8(uint ssrc, int index) => RtpParameters("1", ssrc, index, new JsonObject
    {
        ["mimeType"] = "video/VP8",
        ["payloadType"] = Vp8Packets.PayloadType,
        ["clockRate"] = 90000,
        ["parameters"] = new JsonObject(),
        ["rtcpFeedback"] = new JsonArray(
            new JsonObject { ["type"] = "nack", ["parameter"] = "" },
            new JsonObject { ["type"] = "nack", ["parameter"] = "pli" },
            new JsonObject { ["type"] = "ccm", ["parameter"] = "fir" }),
    });

    private static JsonObject RtpParameters(string mid, uint ssrc, int index, JsonObject codec) => new()
    {
        ["mid"] = mid,
        ["codecs"] = new JsonArray(codec),
        ["headerExtensions"] = new JsonArray(),
        ["encodings"] = new JsonArray(new JsonObject { ["ssrc"] = ssrc }),
        ["rtcp"] = new JsonObject { ["cname"] = $"load-{index}", ["reducedSize"] = true },
    };
}
