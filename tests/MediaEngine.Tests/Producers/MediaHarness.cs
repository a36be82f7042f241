using System.Buffers.Binary;
using MediaEngine.Consumers;
using MediaEngine.Producers;
using MediaEngine.Rtcp;
using MediaEngine.Rtp;
using MediaEngine.Rtp.Packets;
using MediaEngine.Tests.Codecs;
using MediaEngine.Tests.Rtp;
using MediaEngine.Transports;
using MediaEngine.Workers;

namespace MediaEngine.Tests.Producers;

/// <summary>
/// A transport whose network part is a list: what it would send is kept, what a browser would
/// send is handed in. Everything else (RTP listener, RTCP, producers, consumers, timers) is the
/// real code on a real worker thread.
/// </summary>
internal sealed class CapturingTransport(Worker worker) : Transport(worker, 0, _ => { })
{
    public List<byte[]> SentRtp { get; } = new();
    public List<byte[]> SentRtcp { get; } = new();

    /// <summary>Off: what would be sent is only counted (allocation measurements).</summary>
    public bool Capture { get; set; } = true;

    public long RtpPacketsSent { get; private set; }

    internal override bool CanSendRtp => true;

    protected override bool SendRtp(byte[] buffer, int length)
    {
        RtpPacketsSent++;
        if (Capture)
            SentRtp.Add(buffer[..length]);
        return true;
    }

    protected override void SendRtcp(byte[] buffer, int length)
    {
        if (Capture)
            SentRtcp.Add(buffer[..length]);
    }

    protected override void OnClosed()
    {
    }

    /// <summary>A packet from the browser, in the clear (copied: the transport works on it in place).</summary>
    public void Receive(byte[] packet)
    {
        var copy = packet.ToArray();
        if (copy.Length > 1 && copy[1] is >= 192 and <= 223)
            ReceiveRtcp(copy);
        else
            ReceiveRtp(copy, copy.Length);
    }

    /// <summary>A packet from the browser, worked on in place in <paramref name="buffer"/> (no copy).</summary>
    public void ReceiveInPlace(byte[] buffer, int length) => ReceiveRtp(buffer, length);

    /// <summary>The sequence numbers of every NACK sent for <paramref name="mediaSsrc"/>, repeats included.</summary>
    public List<ushort> NackedSequenceNumbers(uint mediaSsrc)
    {
        var result = new List<ushort>();
        foreach (var datagram in SentRtcp)
        {
            foreach (var packet in new CompoundPacket(datagram))
            {
                if (!FeedbackRtpNackPacket.TryParse(packet, out var nack) || nack.MediaSsrc != mediaSsrc)
                    continue;
                for (var i = 0; i < nack.ItemCount; i++)
                {
                    var item = nack.GetItem(i);
                    result.Add(item.PacketId);
                    for (var bit = 0; bit < 16; bit++)
                    {
                        if ((item.LostPacketBitmask & (1 << bit)) != 0)
                            result.Add((ushort)(item.PacketId + bit + 1));
                    }
                }
            }
        }
        return result;
    }
}

/// <summary>One producer on one transport, consumed on another, all on a real worker.</summary>
internal sealed class MediaHarness : IDisposable
{
    public const string Vp8WithRtxProducerJson = """
        {"mid":"0",
         "codecs":[{"mimeType":"video/VP8","payloadType":96,"clockRate":90000,"parameters":{},
                    "rtcpFeedback":[{"type":"transport-cc","parameter":""},{"type":"ccm","parameter":"fir"},
                                    {"type":"nack","parameter":""},{"type":"nack","parameter":"pli"}]},
                   {"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":96},"rtcpFeedback":[]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":4,"parameters":{}},
                             {"uri":"urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id","id":10,"parameters":{}},
                             {"uri":"urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id","id":11,"parameters":{}}],
         "encodings":[{"ssrc":1111,"rtx":{"ssrc":2222}}],
         "rtcp":{"cname":"abcd","reducedSize":true}}
        """;

    public const byte MediaPayloadType = 96;
    public const byte RtxPayloadType = 97;
    public const int MidExtensionId = 4;
    public const int RidExtensionId = 10;
    public const int RepairedRidExtensionId = 11;

    private readonly List<object> _events = new();

    private MediaHarness(Worker worker)
    {
        Worker = worker;
    }

    public Worker Worker { get; }
    public CapturingTransport Sending { get; private set; } = null!;
    public CapturingTransport Receiving { get; private set; } = null!;
    public Producer Producer { get; private set; } = null!;
    public Consumer Consumer { get; private set; } = null!;

    /// <summary>Media events raised so far (read on the worker).</summary>
    public IReadOnlyList<object> Events => _events;

    public static async Task<MediaHarness> StartAsync(string producerJson = Vp8WithRtxProducerJson)
    {
        var harness = new MediaHarness(new Worker(0));
        await harness.Worker.InvokeAsync(() =>
        {
            harness.Sending = new CapturingTransport(harness.Worker);
            harness.Receiving = new CapturingTransport(harness.Worker);
            var routerCaps = TestRtp.RouterCapabilities();
            var parameters = TestRtp.Parameters(producerJson);
            var mapping = Ortc.GetProducerRtpParametersMapping(parameters, routerCaps);
            var type = Ortc.GetProducerType(parameters);
            var consumable = Ortc.GetConsumableRtpParameters("video", parameters, routerCaps, mapping);
            harness.Producer = new Producer("p", harness.Sending, "video", type, parameters, mapping, consumable, paused: false, harness._events.Add);
            harness.Sending.AddProducer(harness.Producer);
            var consumerParameters = Ortc.GetConsumerRtpParameters(consumable, TestRtp.ClientCapabilities(), enableRtx: true);
            consumerParameters.Mid = "0";
            harness.Consumer = new Consumer("c", harness.Producer, harness.Receiving, consumerParameters, paused: false, harness._events.Add);
            harness.Producer.AddConsumer(harness.Consumer);
            harness.Receiving.AddConsumer(harness.Consumer);
        });
        return harness;
    }

    public Task<T> OnWorker<T>(Func<T> function) => Worker.InvokeAsync(function);

    public Task OnWorker(Action action) => Worker.InvokeAsync(action);

    /// <summary>Polls <paramref name="condition"/> on the worker until it holds (generous timeout for loaded machines).</summary>
    public async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await OnWorker(condition))
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>A VP8 packet: a one-byte descriptor (start of partition 0) and a payload header saying key frame or not.</summary>
    public static byte[] Vp8(uint ssrc, ushort seq, uint timestamp, bool keyFrame, byte fill, string? rid = null, byte payloadType = MediaPayloadType)
    {
        var payload = new byte[20];
        payload.AsSpan().Fill(fill);
        payload[0] = 0x10;
        payload[1] = (byte)(keyFrame ? 0x00 : 0x01);
        return Packet(ssrc, seq, timestamp, payload, payloadType, rid is null ? [] : [(MidExtensionId, "0"), (RidExtensionId, rid)]);
    }

    /// <summary>
    /// A VP8 packet with the full descriptor (RFC 7741): 15-bit PictureID, TL0PICIDX, TID and
    /// layer sync bit, as Chrome sends for simulcast with temporal layers.
    /// </summary>
    public static byte[] Vp8Layered(uint ssrc, ushort seq, uint timestamp, bool keyFrame, ushort pictureId, byte tl0PictureIndex,
        int temporalLayer, bool layerSync, string? rid = null)
    {
        var payload = new byte[20];
        Vp8TestDescriptor.Write(payload, pictureId, tl0PictureIndex, temporalLayer, layerSync);
        payload[Vp8TestDescriptor.Length] = (byte)(keyFrame ? 0x00 : 0x01);
        return Packet(ssrc, seq, timestamp, payload, MediaPayloadType, rid is null ? [] : [(MidExtensionId, "0"), (RidExtensionId, rid)]);
    }

    /// <summary>The RTX form (RFC 4588) of <paramref name="original"/>'s payload under the RTX SSRC and sequence number.</summary>
    public static byte[] Rtx(uint rtxSsrc, ushort rtxSeq, ushort originalSeq, uint timestamp, ReadOnlySpan<byte> originalPayload, string? repairedRid = null)
    {
        var payload = new byte[2 + originalPayload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, originalSeq);
        originalPayload.CopyTo(payload.AsSpan(2));
        return Packet(rtxSsrc, rtxSeq, timestamp, payload, RtxPayloadType, repairedRid is null ? [] : [(MidExtensionId, "0"), (RepairedRidExtensionId, repairedRid)]);
    }

    /// <summary>An RTP packet with one-byte header extensions carrying text (MID, RID, repaired RID).</summary>
    public static byte[] Packet(uint ssrc, ushort seq, uint timestamp, ReadOnlySpan<byte> payload, byte payloadType, (int Id, string Value)[]? extensions = null)
    {
        var buffer = new byte[1500];
        var writer = new RtpPacketWriter(buffer, payloadType, false, seq, timestamp, ssrc);
        foreach (var (id, value) in extensions ?? [])
            writer.AddExtension(id, System.Text.Encoding.ASCII.GetBytes(value));
        return buffer[..writer.Finish(payload)];
    }

    /// <summary>An RTCP sender report from the browser for <paramref name="ssrc"/>.</summary>
    public static byte[] SenderReport(uint ssrc) => SenderReport(ssrc, NtpTime.Now(), 0);

    /// <summary>A sender report saying that <paramref name="rtpTimestamp"/> is the wall-clock instant <paramref name="ntpTimestamp"/>.</summary>
    public static byte[] SenderReport(uint ssrc, ulong ntpTimestamp, uint rtpTimestamp)
    {
        var buffer = new byte[100];
        var report = new SenderReport(ssrc, ntpTimestamp, rtpTimestamp, 0, 0);
        return buffer[..SenderReportPacket.Write(buffer, in report, [])];
    }

    /// <summary>An RTCP receiver report from the consuming browser about <paramref name="ssrc"/>.</summary>
    public static byte[] ReceiverReport(uint ssrc, int totalLost, uint highestSeq)
    {
        var buffer = new byte[100];
        return buffer[..ReceiverReportPacket.Write(buffer, 77, [new ReceiverReport(ssrc, 0, totalLost, highestSeq, 0, 0, 0)])];
    }

    /// <summary>Two VP8 encodings with three temporal layers each.</summary>
    public static readonly string Vp8SimulcastJson = Vp8Simulcast("""[{"rid":"r0","scalabilityMode":"L1T3"},{"rid":"r1","scalabilityMode":"L1T3"}]""");

    /// <summary>Three VP8 encodings without temporal layers.</summary>
    public static readonly string Vp8Simulcast3Json = Vp8Simulcast(
        """[{"rid":"r0","scalabilityMode":"L1T1"},{"rid":"r1","scalabilityMode":"L1T1"},{"rid":"r2","scalabilityMode":"L1T1"}]""");

    /// <summary>A VP8 simulcast producer's RTP parameters (RTX, mid/rid/repaired-rid) with <paramref name="encodingsJson"/>.</summary>
    private static string Vp8Simulcast(string encodingsJson) => $$$"""
        {"mid":"0",
         "codecs":[{"mimeType":"video/VP8","payloadType":96,"clockRate":90000,"parameters":{},
                    "rtcpFeedback":[{"type":"nack","parameter":""},{"type":"nack","parameter":"pli"}]},
                   {"mimeType":"video/rtx","payloadType":97,"clockRate":90000,"parameters":{"apt":96},"rtcpFeedback":[]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":4,"parameters":{}},
                             {"uri":"urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id","id":10,"parameters":{}},
                             {"uri":"urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id","id":11,"parameters":{}}],
         "encodings":{{{encodingsJson}}},
         "rtcp":{"cname":"abcd","reducedSize":true}}
        """;

    public const string Vp9SvcJson = """
        {"mid":"0",
         "codecs":[{"mimeType":"video/VP9","payloadType":98,"clockRate":90000,"parameters":{"profile-id":2},
                    "rtcpFeedback":[{"type":"nack","parameter":""},{"type":"nack","parameter":"pli"}]},
                   {"mimeType":"video/rtx","payloadType":99,"clockRate":90000,"parameters":{"apt":98},"rtcpFeedback":[]}],
         "headerExtensions":[{"uri":"urn:ietf:params:rtp-hdrext:sdes:mid","id":4,"parameters":{}}],
         "encodings":[{"ssrc":3333,"rtx":{"ssrc":4444},"scalabilityMode":"L3T3_KEY"}],
         "rtcp":{"cname":"abcd","reducedSize":true}}
        """;

    /// <summary>A one-packet VP9 layer frame (non-flexible mode, RFC 9628) with PictureID, layer indices and TL0PICIDX.</summary>
    public static byte[] Vp9(uint ssrc, ushort seq, uint timestamp, ushort pictureId, int spatial, int temporal, bool interPicture, bool marker)
    {
        byte[] payload =
        [
            (byte)(0xA0 | (interPicture ? 0x40 : 0) | 0x08 | 0x04),
            (byte)(0x80 | (pictureId >> 8)), (byte)pictureId,
            (byte)((temporal << 5) | (temporal > 0 ? 0x10 : 0) | (spatial << 1)),
            0x00, 0xAB, 0xCD,
        ];
        var buffer = new byte[1500];
        var writer = new RtpPacketWriter(buffer, 98, marker, seq, timestamp, ssrc);
        return buffer[..writer.Finish(payload)];
    }

    public static (ushort Seq, byte[] Payload) Parse(byte[] packet)
    {
        Assert.True(RtpPacket.TryParse(packet.AsSpan(), out var rtp));
        return (rtp.SequenceNumber, rtp.Payload.ToArray());
    }

    public void Dispose() => Worker.Dispose();
}
