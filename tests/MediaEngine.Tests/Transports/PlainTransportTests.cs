using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MediaEngine.Rtcp;
using MediaEngine.Rtp;
using MediaEngine.Srtp;
using MediaEngine.Tests.Rtp;
using MediaEngine.Transports;
using MediaEngine.Workers;

namespace MediaEngine.Tests.Transports;

/// <summary>Plain transports on a real worker with real loopback UDP sockets: an "ffmpeg" sends, an "RTP receiver" gets the forwarded packets.</summary>
public sealed class PlainTransportTests : IDisposable
{
    private const uint SenderSsrc = 1111;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly MediaWorker _worker = new(0, new MediaEngineSettings(1, IPAddress.Loopback, "127.0.0.1", UseWebRtcServer: false, MinPort: 41000, MaxPort: 41999));
    private readonly Router _router;
    private readonly List<TransportEvent> _events = new();
    private readonly Socket _sender = UdpSocket();
    private readonly Socket _senderRtcp = UdpSocket();
    private readonly Socket _receiver = UdpSocket();
    private readonly Socket _receiverRtcp = UdpSocket();

    public PlainTransportTests()
    {
        _router = _worker.CreateRouter(_ => { });
    }

    public void Dispose()
    {
        _router.CloseAsync().Wait(Timeout);
        _worker.Dispose();
        foreach (var socket in new[] { _sender, _senderRtcp, _receiver, _receiverRtcp })
            socket.Dispose();
    }

    [Fact]
    public async Task Comedia_ingest_without_rtcp_mux_is_forwarded_to_an_explicitly_connected_receiver()
    {
        var ingest = await CreateAsync(new PlainTransportOptions(RtcpMux: false, Comedia: true));
        var output = await CreateAsync(new PlainTransportOptions(RtcpMux: true, Comedia: false));
        Assert.Equal("127.0.0.1", ingest.Ip);
        Assert.InRange(ingest.Port, 41000, 41999);
        Assert.NotNull(ingest.RtcpPort);
        Assert.NotEqual(ingest.Port, ingest.RtcpPort);
        Assert.Null(output.RtcpPort);
        await output.ConnectAsync("127.0.0.1", LocalPort(_receiver), null, null);
        var consumerSsrc = await ProduceAndConsumeAsync(ingest, output);

        var received = await SendUntilReceivedAsync(ingest.Port, plain: true, encrypt: null, decrypt: null);

        Assert.Equal(consumerSsrc, BinaryPrimitives.ReadUInt32BigEndian(received.AsSpan(8)));
        Assert.Equal(OpusPayload, received[^OpusPayload.Length..]);
        Assert.Equal(LocalPort(_sender), ingest.Remote!.Port);

        _senderRtcp.SendTo(ReceiverReportFrom(SenderSsrc), new IPEndPoint(IPAddress.Loopback, ingest.RtcpPort!.Value));
        var stats = await WaitForAsync(ingest.GetStatsAsync, s => s.RtcpPacketsReceived > 0);
        Assert.Equal("plain-rtp-transport", stats.Type);
        Assert.True(stats.Comedia);
        Assert.False(stats.RtcpMux);
        Assert.Equal(LocalPort(_sender), stats.Tuple.RemotePort);
        Assert.Equal("127.0.0.1", stats.Tuple.RemoteIp);
        Assert.Equal(LocalPort(_senderRtcp), stats.RtcpTuple!.RemotePort);
        Assert.True(stats.RtpPacketsReceived > 0);
        var outputStats = await output.GetStatsAsync();
        Assert.True(outputStats.RtpBytesSent > 0);
        Assert.Null(outputStats.RtcpTuple);
        Assert.Contains(_events, e => e.Kind == TransportEventKind.Tuple && e.TransportId == ingest.Id);
        Assert.Contains(_events, e => e.Kind == TransportEventKind.RtcpTuple && e.TransportId == ingest.Id);
    }

    [Fact]
    public async Task After_comedia_learnt_its_remote_other_sources_are_dropped()
    {
        var ingest = await CreateAsync(new PlainTransportOptions(RtcpMux: true, Comedia: true));
        var output = await CreateAsync(new PlainTransportOptions(RtcpMux: true, Comedia: false));
        await output.ConnectAsync("127.0.0.1", LocalPort(_receiver), null, null);
        await ProduceAndConsumeAsync(ingest, output);
        await SendUntilReceivedAsync(ingest.Port, plain: true, encrypt: null, decrypt: null);
        var before = await ingest.GetStatsAsync();

        using var intruder = UdpSocket();
        for (var i = 0; i < 5; i++)
            intruder.SendTo(Rtp(30_000, 0), new IPEndPoint(IPAddress.Loopback, ingest.Port));
        intruder.SendTo("garbage"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, ingest.Port));

        var after = await WaitForAsync(ingest.GetStatsAsync, s => s.PacketsDropped >= before.PacketsDropped + 6);
        Assert.Equal(before.RtpPacketsReceived, after.RtpPacketsReceived);
        Assert.Equal(LocalPort(_sender), after.Tuple.RemotePort);
    }

    [Fact]
    public async Task A_max_incoming_bitrate_is_told_to_the_sender_in_a_remb_while_it_sends()
    {
        var ingest = await CreateAsync(new PlainTransportOptions(RtcpMux: true, Comedia: true));
        var output = await CreateAsync(new PlainTransportOptions(RtcpMux: true, Comedia: false));
        await output.ConnectAsync("127.0.0.1", LocalPort(_receiver), null, null);
        await ProduceAndConsumeAsync(ingest, output);
        await _worker.Worker.InvokeAsync(() => ingest.MaxIncomingBitrate = 300_000);

        var destination = new IPEndPoint(IPAddress.Loopback, ingest.Port);
        var buffer = new byte[2048];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        ulong? remb = null;
        for (ushort sequence = 1; remb is null && DateTime.UtcNow < deadline; sequence++)
        {
            _sender.SendTo(Rtp(SenderSsrc, sequence).AsSpan(0, 12 + OpusPayload.Length), destination);
            while (_sender.Poll(20_000, SelectMode.SelectRead))
            {
                var length = _sender.Receive(buffer);
                if (RtcpPacket.TryParse(buffer.AsSpan(0, length), out var rtcp) && FeedbackPsRembPacket.TryParse(rtcp, out var parsed))
                {
                    Assert.Equal(0, parsed.SsrcCount);
                    remb = parsed.Bitrate;
                }
            }
        }

        Assert.NotNull(remb);
        Assert.InRange(remb.Value, 299_000UL, 300_000UL);
    }

    [Theory]
    [InlineData("AES_CM_128_HMAC_SHA1_80")]
    [InlineData("AES_CM_128_HMAC_SHA1_32")]
    [InlineData("AEAD_AES_128_GCM")]
    [InlineData("AEAD_AES_256_GCM")]
    public async Task Srtp_both_ways_with_keys_exchanged_as_srtpParameters(string suite)
    {
        Assert.True(SrtpProfile.TryParseMediasoupName(suite, out var profile));
        var ingest = await CreateAsync(new PlainTransportOptions(RtcpMux: true, Comedia: true, EnableSrtp: true));
        var output = await CreateAsync(new PlainTransportOptions(RtcpMux: true, Comedia: false, EnableSrtp: true));
        Assert.Equal(SrtpParameters.DefaultProfile, ingest.LocalSrtpParameters!.Profile);

        var senderKeys = SrtpParameters.Generate(profile);
        var ingestKeys = await ingest.ConnectAsync(null, null, null, senderKeys);
        Assert.Equal(suite, ingestKeys!.CryptoSuite);
        var receiverKeys = SrtpParameters.Generate(profile);
        var outputKeys = await output.ConnectAsync("127.0.0.1", LocalPort(_receiver), null, receiverKeys);
        await ProduceAndConsumeAsync(ingest, output);

        using var encrypt = senderKeys.CreateSession();
        using var decrypt = SrtpParameters.Parse(outputKeys!.CryptoSuite, outputKeys.KeyBase64).CreateSession();
        var received = await SendUntilReceivedAsync(ingest.Port, plain: false, encrypt, decrypt);
        Assert.Equal(OpusPayload, received[^OpusPayload.Length..]);

        using var wrongKeys = SrtpParameters.Generate(profile).CreateSession();
        var forged = Rtp(SenderSsrc, 60_000);
        Assert.True(wrongKeys.TryProtectRtp(forged, forged.Length - 16, out var forgedLength, out _));
        _sender.SendTo(forged.AsSpan(0, forgedLength), new IPEndPoint(IPAddress.Loopback, ingest.Port));
        await WaitForAsync(ingest.GetStatsAsync, s => s.SrtpErrors > 0);
    }

    [Fact]
    public async Task Connect_rejects_missing_fields_and_a_second_call()
    {
        var explicitTransport = await CreateAsync(new PlainTransportOptions(RtcpMux: false, Comedia: false));
        await Assert.ThrowsAsync<ArgumentException>(() => explicitTransport.ConnectAsync(null, 5000, 5001, null));
        await Assert.ThrowsAsync<ArgumentException>(() => explicitTransport.ConnectAsync("not an ip", 5000, 5001, null));
        await Assert.ThrowsAsync<ArgumentException>(() => explicitTransport.ConnectAsync("127.0.0.1", 5000, null, null));
        await explicitTransport.ConnectAsync("127.0.0.1", 5000, 5001, null);
        await Assert.ThrowsAsync<InvalidOperationException>(() => explicitTransport.ConnectAsync("127.0.0.1", 5000, 5001, null));

        var srtp = await CreateAsync(new PlainTransportOptions(EnableSrtp: true));
        await Assert.ThrowsAsync<ArgumentException>(() => srtp.ConnectAsync(null, null, null, null));
    }

    [Fact]
    public async Task With_loopback_peers_only_a_remote_elsewhere_is_refused()
    {
        using var worker = new MediaWorker(1, new MediaEngineSettings(1, IPAddress.Loopback, "127.0.0.1", UseWebRtcServer: false, MinPort: 41000, MaxPort: 41999, LoopbackPeersOnly: true));
        var router = worker.CreateRouter(_ => { });
        var transport = await router.CreatePlainTransportAsync(new PlainTransportOptions(RtcpMux: true, Comedia: false), _ => { });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => transport.ConnectAsync("192.0.2.1", 5000, null, null));
        Assert.Contains("loopback-peers-only", error.Message);
        await transport.ConnectAsync("127.0.0.1", 5000, null, null);
        await router.CloseAsync();
    }

    [Fact]
    public async Task Closing_releases_the_ports()
    {
        var transport = await CreateAsync(new PlainTransportOptions(RtcpMux: false));
        var ports = new[] { transport.Port, transport.RtcpPort!.Value };
        await _router.CloseTransportAsync(transport.Id);
        foreach (var port in ports)
        {
            using var rebound = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            rebound.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }
    }

    [Fact]
    public async Task A_transport_restored_on_its_ports_with_its_id_and_keys_takes_over_from_the_closed_one()
    {
        var original = await CreateAsync(new PlainTransportOptions(RtcpMux: false, Comedia: true, EnableSrtp: true));
        var (id, port, rtcpPort, keys) = (original.Id, original.Port, original.RtcpPort!.Value, original.LocalSrtpParameters!);
        await _router.CloseTransportAsync(original.Id);

        var restored = await _router.CreatePlainTransportAsync(
            new PlainTransportOptions(RtcpMux: false, Comedia: true, EnableSrtp: true, Port: port, RtcpPort: rtcpPort, SrtpParameters: keys),
            _ => { }, id);
        Assert.Equal((id, port, rtcpPort), (restored.Id, restored.Port, restored.RtcpPort));
        Assert.Equal(keys.KeyBase64, restored.LocalSrtpParameters!.KeyBase64);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _router.CreatePlainTransportAsync(new PlainTransportOptions(), _ => { }, id));

        // Same for its media: a producer and a consumer keep their ids.
        var senderKeys = SrtpParameters.Generate(SrtpParameters.DefaultProfile);
        Assert.Equal(keys.KeyBase64, (await restored.ConnectAsync(null, null, null, senderKeys))!.KeyBase64);
        var output = await CreateAsync(new PlainTransportOptions(RtcpMux: true, Comedia: false));
        await output.ConnectAsync("127.0.0.1", LocalPort(_receiver), null, null);
        var routerCaps = TestRtp.RouterCapabilities();
        var parameters = TestRtp.Parameters($$$"""{"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2}],"encodings":[{"ssrc":{{{SenderSsrc}}}}]}""");
        var mapping = Ortc.GetProducerRtpParametersMapping(parameters, routerCaps);
        var consumable = Ortc.GetConsumableRtpParameters("audio", parameters, routerCaps, mapping);
        var producer = await _router.CreateProducerAsync(restored.Id, "audio", ProducerType.Simple, parameters, mapping, consumable, paused: false, id: "producer-1");
        var consumer = await _router.CreateConsumerAsync(output.Id, producer.Id, Ortc.GetConsumerRtpParameters(consumable, routerCaps, enableRtx: false), paused: false, id: "consumer-1");
        Assert.Equal(("producer-1", "consumer-1"), (producer.Id, consumer.Id));
        using var encrypt = senderKeys.CreateSession();
        await SendUntilReceivedAsync(port, plain: false, encrypt, decrypt: null);
    }

    [Fact]
    public async Task A_taken_port_fails_the_transport_and_leaves_nothing_bound()
    {
        using var squatter = UdpSocket();
        var free = UdpSocket();
        var freePort = LocalPort(free);
        free.Dispose();
        var error = await Assert.ThrowsAsync<SocketException>(() => _router.CreatePlainTransportAsync(
            new PlainTransportOptions(RtcpMux: false, Port: freePort, RtcpPort: LocalPort(squatter)), _ => { }));
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
        // The RTP socket bound before the RTCP one failed is closed again.
        using var rebound = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rebound.Bind(new IPEndPoint(IPAddress.Loopback, freePort));
    }

    private static readonly byte[] OpusPayload = [.. Enumerable.Range(0, 40).Select(i => (byte)(0xA0 + i))];

    private async Task<PlainTransport> CreateAsync(PlainTransportOptions options) =>
        await _router.CreatePlainTransportAsync(options, e => { lock (_events) _events.Add(e); });

    /// <summary>An opus producer on <paramref name="ingest"/> (ffmpeg.sh's parameters) and a consumer of it on <paramref name="output"/>; returns the consumer's SSRC.</summary>
    private async Task<uint> ProduceAndConsumeAsync(PlainTransport ingest, PlainTransport output)
    {
        var routerCaps = TestRtp.RouterCapabilities();
        var parameters = TestRtp.Parameters($$$"""
            {"codecs":[{"mimeType":"audio/opus","payloadType":100,"clockRate":48000,"channels":2,"parameters":{"sprop-stereo":1}}],
             "encodings":[{"ssrc":{{{SenderSsrc}}}}]}
            """);
        var mapping = Ortc.GetProducerRtpParametersMapping(parameters, routerCaps);
        var consumable = Ortc.GetConsumableRtpParameters("audio", parameters, routerCaps, mapping);
        var producer = await _router.CreateProducerAsync(ingest.Id, "audio", Ortc.GetProducerType(parameters), parameters, mapping, consumable, paused: false);
        var consumerParameters = Ortc.GetConsumerRtpParameters(consumable, routerCaps, enableRtx: false);
        var consumer = await _router.CreateConsumerAsync(output.Id, producer.Id, consumerParameters, paused: false);
        return consumer.Ssrc;
    }

    /// <summary>Sends RTP (a packet every 20 ms, as a sender would) until one arrives at the receiver.</summary>
    /// <param name="decrypt">Null: the receiver gets RTP in the clear.</param>
    private async Task<byte[]> SendUntilReceivedAsync(int port, bool plain, SrtpSession? encrypt, SrtpSession? decrypt)
    {
        var destination = new IPEndPoint(IPAddress.Loopback, port);
        var buffer = new byte[2048];
        var deadline = DateTime.UtcNow + Timeout;
        ushort sequence = 1;
        while (DateTime.UtcNow < deadline)
        {
            var packet = Rtp(SenderSsrc, sequence++);
            var length = packet.Length - 16;
            if (!plain)
                Assert.True(encrypt!.TryProtectRtp(packet, length, out length, out _));
            _sender.SendTo(packet.AsSpan(0, length), destination);
            if (_receiver.Poll(20_000, SelectMode.SelectRead))
            {
                var received = _receiver.Receive(buffer);
                if (StunIsRtcp(buffer))
                    continue;
                if (decrypt is not null)
                    Assert.True(decrypt.TryUnprotectRtp(buffer, received, out received, out _));
                return buffer[..received];
            }
        }
        throw new TimeoutException("no RTP forwarded");
    }

    private static bool StunIsRtcp(byte[] packet) => packet[1] is >= 192 and <= 223;

    /// <summary>Opus RTP, PT 100, with 16 bytes of room for an SRTP tag at the end.</summary>
    private static byte[] Rtp(uint ssrc, ushort sequence)
    {
        var packet = new byte[12 + OpusPayload.Length + 16];
        packet[0] = 0x80;
        packet[1] = 100;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 960u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        OpusPayload.CopyTo(packet, 12);
        return packet;
    }

    /// <summary>An empty receiver report (RTCP, PT 201) from <paramref name="ssrc"/>.</summary>
    private static byte[] ReceiverReportFrom(uint ssrc)
    {
        var packet = new byte[8];
        packet[0] = 0x80;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        return packet;
    }

    internal static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                Assert.True(done(value), $"condition not met in time: {value}");
                return value;
            }
            await Task.Delay(50);
        }
    }

    private static Socket UdpSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int LocalPort(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;
}
