namespace MediaEngine.Tests.Producers;

/// <summary>Loss on the leg from the browser: the server NACKs the gaps and forwards what RTX repairs.</summary>
public sealed class ProducerNackTests
{
    private const uint Ssrc = 1111;
    private const uint RtxSsrc = 2222;

    [Fact]
    public async Task A_gap_is_nacked_and_the_rtx_repair_is_forwarded_as_the_original_packet()
    {
        using var media = await MediaHarness.StartAsync();
        var lost = MediaHarness.Parse(MediaHarness.Vp8(Ssrc, 102, 9000, keyFrame: false, fill: 102)).Payload;
        await media.OnWorker(() =>
        {
            media.Sending.Receive(MediaHarness.Vp8(Ssrc, 100, 9000, keyFrame: true, fill: 100));
            media.Sending.Receive(MediaHarness.Vp8(Ssrc, 101, 9000, keyFrame: false, fill: 101));
            media.Sending.Receive(MediaHarness.Vp8(Ssrc, 104, 12000, keyFrame: false, fill: 104));
        });

        // The repair comes in the worker turn that sees both NACKs: the generator gives up on a packet
        // after ten NACKs an RTT apart, so a repair a stalled test thread sent a second later would
        // rightly not be forwarded.
        ushort[] nacked = [];
        var forwarded = new List<(ushort Seq, byte[] Payload)>();
        await media.WaitUntil(() =>
        {
            nacked = media.Sending.NackedSequenceNumbers(Ssrc).Distinct().Order().ToArray();
            if (nacked.Length < 2)
                return false;
            media.Sending.Receive(MediaHarness.Rtx(RtxSsrc, 7, 102, 9000, lost));
            forwarded = media.Receiving.SentRtp.Select(MediaHarness.Parse).ToList();
            return true;
        }, "NACKs for 102 and 103");

        Assert.Equal(new ushort[] { 102, 103 }, nacked);
        Assert.Equal(4, forwarded.Count);
        var repaired = forwarded[3];
        Assert.Equal(lost, repaired.Payload);
        Assert.Equal((ushort)(forwarded[0].Seq + 2), repaired.Seq);
        Assert.Equal((ushort)(forwarded[0].Seq + 4), forwarded[2].Seq);

        var stream = media.Producer.Streams[0];
        var (nackCount, retransmitted, repairedCount, rtxPackets) = await media.OnWorker(() =>
            (stream.Receiver!.NackCount, stream.Receiver.PacketsRetransmitted, stream.Receiver.PacketsRepaired, stream.RtxPacketCount));
        Assert.True(nackCount >= 1);
        Assert.Equal(1, retransmitted);
        Assert.Equal(1, repairedCount);
        Assert.Equal(1, rtxPackets);
    }

    [Fact]
    public async Task Nacks_are_repeated_while_the_packet_stays_missing_and_stop_once_it_arrives()
    {
        using var media = await MediaHarness.StartAsync();
        await media.OnWorker(() =>
        {
            media.Sending.Receive(MediaHarness.Vp8(Ssrc, 1, 0, keyFrame: true, fill: 1));
            media.Sending.Receive(MediaHarness.Vp8(Ssrc, 3, 3000, keyFrame: false, fill: 3));
        });

        await media.WaitUntil(() => media.Sending.NackedSequenceNumbers(Ssrc).Count(s => s == 2) >= 2, "a repeated NACK for 2");
        var payload = MediaHarness.Parse(MediaHarness.Vp8(Ssrc, 2, 0, keyFrame: false, fill: 2)).Payload;
        var nacksAtRepair = await media.OnWorker(() =>
        {
            media.Sending.Receive(MediaHarness.Rtx(RtxSsrc, 1, 2, 0, payload));
            return media.Sending.NackedSequenceNumbers(Ssrc).Count;
        });
        await Task.Delay(400);
        Assert.Equal(nacksAtRepair, await media.OnWorker(() => media.Sending.NackedSequenceNumbers(Ssrc).Count));
    }

    [Fact]
    public async Task Rtx_for_a_packet_that_was_not_missing_is_not_forwarded()
    {
        using var media = await MediaHarness.StartAsync();
        var sent = await media.OnWorker(() =>
        {
            media.Sending.Receive(MediaHarness.Vp8(Ssrc, 10, 0, keyFrame: true, fill: 10));
            media.Sending.Receive(MediaHarness.Vp8(Ssrc, 11, 0, keyFrame: false, fill: 11));
            var payload = MediaHarness.Parse(MediaHarness.Vp8(Ssrc, 10, 0, keyFrame: true, fill: 10)).Payload;
            media.Sending.Receive(MediaHarness.Rtx(RtxSsrc, 1, 10, 0, payload));
            media.Sending.Receive(MediaHarness.Packet(RtxSsrc, 2, 0, [], MediaHarness.RtxPayloadType));
            return media.Receiving.SentRtp.Count;
        });

        Assert.Equal(2, sent);
        Assert.Equal(2, await media.OnWorker(() => media.Producer.Streams[0].RtxPacketCount));
    }

    [Fact]
    public async Task A_simulcast_stream_learns_its_rtx_ssrc_from_the_repaired_rid()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        var payload = MediaHarness.Parse(MediaHarness.Vp8(0xAAAA, 51, 0, keyFrame: false, fill: 51)).Payload;
        await media.OnWorker(() =>
        {
            media.Sending.Receive(MediaHarness.Vp8(0xAAAA, 50, 0, keyFrame: true, fill: 50, rid: "r0"));
            media.Sending.Receive(MediaHarness.Vp8(0xBBBB, 900, 0, keyFrame: true, fill: 90, rid: "r1"));
            media.Sending.Receive(MediaHarness.Vp8(0xAAAA, 52, 0, keyFrame: false, fill: 52));
        });
        await media.WaitUntil(() => media.Sending.NackedSequenceNumbers(0xAAAA).Contains(51), "a NACK for 51 of r0");

        var stream = await media.OnWorker(() =>
        {
            media.Sending.Receive(MediaHarness.Rtx(0xCCCC, 1, 51, 0, payload, repairedRid: "r0"));
            return media.Producer.Streams[0];
        });

        Assert.Equal(0xCCCCu, await media.OnWorker(() => stream.RtxSsrc));
        Assert.Equal(1, await media.OnWorker(() => stream.Receiver!.PacketsRepaired));
        Assert.Null(await media.OnWorker(() => media.Producer.Streams[1].RtxSsrc));
    }
}
