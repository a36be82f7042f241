using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MediaEngine.Rtp;
using MediaEngine.Srtp;
using MediaEngine.Tests.Rtp;
using MediaEngine.Transports;
using MediaEngine.Workers;

namespace MediaEngine.Tests.Workers;

/// <summary>A worker's metrics, gathered on its thread, from bad packets sent over real loopback UDP to plain transports.</summary>
public sealed class WorkerMetricsTests : IDisposable
{
    private const uint ProducerSsrc = 1111;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly MediaWorker _worker = new(0, new MediaEngineSettings(1, IPAddress.Loopback, "127.0.0.1", UseWebRtcServer: false, MinPort: 43000, MaxPort: 43999));
    private readonly Router _router;
    private readonly Socket _sender = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public WorkerMetricsTests()
    {
        _router = _worker.CreateRouter(_ => { });
        _sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public void Dispose()
    {
        _router.CloseAsync().Wait(Timeout);
        _worker.Dispose();
        _sender.Dispose();
    }

    [Fact]
    public async Task Each_bad_packet_is_counted_once_under_its_reason_and_the_counts_outlive_the_transports()
    {
        var srtpIngest = await _router.CreatePlainTransportAsync(new PlainTransportOptions(RtcpMux: true, Comedia: true, EnableSrtp: true), _ => { });
        var senderKeys = SrtpParameters.Generate(SrtpProfile.AesCm128HmacSha1_80);
        await srtpIngest.ConnectAsync(null, null, null, senderKeys);
        await ProduceAsync(srtpIngest);
        var plainIngest = await _router.CreatePlainTransportAsync(new PlainTransportOptions(RtcpMux: true, Comedia: true), _ => { });

        using var encrypt = senderKeys.CreateSession();
        var first = Protect(encrypt, Rtp(ProducerSsrc, 1));
        Send(srtpIngest, first);
        await WaitForAsync(m => m.RtpPacketsReceived == 1);
        Send(srtpIngest, first); // the same packet again
        using var wrongKeys = SrtpParameters.Generate(SrtpProfile.AesCm128HmacSha1_80).CreateSession();
        Send(srtpIngest, Protect(wrongKeys, Rtp(ProducerSsrc, 2)));
        Send(plainIngest, [0x80, 100, 0, 1, 0, 0]); // shorter than an RTP header
        Send(plainIngest, Rtp(2222, 1)[..^16]); // fine RTP, but no producer on that transport
        Send(plainIngest, [0x80, 201, 0, 5, 0, 0, 0, 1]); // a receiver report claiming 24 bytes in 8

        var expected = new Dictionary<string, long>
        {
            ["srtp_replay"] = 1, ["srtp_auth_failure"] = 1, ["malformed_rtp"] = 1, ["unknown_ssrc"] = 1, ["malformed_rtcp"] = 1,
        };
        var metrics = await WaitForAsync(m => expected.All(e => Dropped(m, e.Key) == e.Value));
        Assert.All(metrics.PacketsDroppedByReason.Where(r => !expected.ContainsKey(r.Reason)), r => Assert.Equal(0, r.Count));
        Assert.Equal(2, metrics.PlainTransports);
        Assert.Equal(1, metrics.Producers);
        Assert.Equal(1, metrics.Routers);
        Assert.Equal(3, metrics.RtpPacketsReceived); // the one accepted, the short one and the one without producer
        Assert.True(metrics.CpuTime is null || metrics.CpuTime.Value >= TimeSpan.Zero);

        await srtpIngest.CloseAsync(); // closed directly, as rooms do; the router still lists it
        await _router.CloseTransportAsync(plainIngest.Id);
        var closed = await _worker.GetMetricsAsync();
        Assert.Equal(0, closed.PlainTransports);
        Assert.Equal(metrics.PacketsDroppedByReason, closed.PacketsDroppedByReason);
        Assert.Equal(metrics.RtpPacketsReceived, closed.RtpPacketsReceived);
        Assert.Equal(metrics.BytesReceived, closed.BytesReceived);

        await _router.CloseAsync(); // closes the already closed transport again, and the producer: nothing counted twice
        var gone = await _worker.GetMetricsAsync();
        Assert.Equal(0, gone.Routers);
        Assert.Equal(0, gone.Producers);
        Assert.Equal(metrics.PacketsDroppedByReason, gone.PacketsDroppedByReason);
        Assert.Equal(metrics.RtpPacketsReceived, gone.RtpPacketsReceived);
    }

    private static long Dropped(WorkerMetrics metrics, string reason) => metrics.PacketsDroppedByReason.Single(r => r.Reason == reason).Count;

    private async Task ProduceAsync(PlainTransport ingest)
    {
        var routerCaps = TestRtp.RouterCapabilities();
        var parameters = TestRtp.Parameters($$$"""
            {"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2}],
             "encodings":[{"ssrc":{{{ProducerSsrc}}}}]}
            """);
        var mapping = Ortc.GetProducerRtpParametersMapping(parameters, routerCaps);
        var consumable = Ortc.GetConsumableRtpParameters("audio", parameters, routerCaps, mapping);
        await _router.CreateProducerAsync(ingest.Id, "audio", Ortc.GetProducerType(parameters), parameters, mapping, consumable, paused: false);
    }

    private void Send(PlainTransport transport, byte[] datagram) =>
        _sender.SendTo(datagram, new IPEndPoint(IPAddress.Loopback, transport.Port));

    private static byte[] Protect(SrtpSession session, byte[] packet)
    {
        Assert.True(session.TryProtectRtp(packet, packet.Length - 16, out var length, out _));
        return packet[..length];
    }

    /// <summary>Opus RTP, PT 100, with 16 bytes of room for an SRTP tag at the end.</summary>
    private static byte[] Rtp(uint ssrc, ushort sequence)
    {
        var packet = new byte[12 + 40 + 16];
        packet[0] = 0x80;
        packet[1] = 100;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 960u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        return packet;
    }

    private async Task<WorkerMetrics> WaitForAsync(Func<WorkerMetrics, bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var metrics = await _worker.GetMetricsAsync();
            if (done(metrics) || DateTime.UtcNow > deadline)
            {
                Assert.True(done(metrics), "condition not met in time: " + string.Join(", ", metrics.PacketsDroppedByReason));
                return metrics;
            }
            await Task.Delay(50);
        }
    }
}
