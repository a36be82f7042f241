namespace MediaEngine.Tests.Producers;

/// <summary>
/// The per-packet path (receive, NACK bookkeeping, layer selection, VP8 rewrite, sequence mapping,
/// send) allocates nothing. Measured over three batches of packets, the least must stay under one byte
/// per packet: any per-packet allocation (24 bytes at least) fails in every batch, while a one-off
/// allocation (seen in loaded CI runs, not reproducible) lands in one batch only.
/// </summary>
public sealed class ForwardingAllocationTests
{
    [Fact]
    public async Task Forwarding_simulcast_vp8_with_temporal_filtering_allocates_nothing_per_packet()
    {
        using var media = await MediaHarness.StartAsync(MediaHarness.Vp8SimulcastJson);
        int[] pattern = [0, 2, 1, 2];
        var packets = Enumerable.Range(0, 2000).Select(i => MediaHarness.Vp8Layered(0xB0B0, (ushort)(60000 + i), (uint)i * 3000,
            keyFrame: i == 0, pictureId: (ushort)(32000 + i), tl0PictureIndex: (byte)(i / 4), pattern[i % 4], layerSync: true, rid: "r1")).ToArray();
        var buffer = new byte[1500];

        var (allocated, forwarded) = await media.OnWorker(() =>
        {
            media.Receiving.Capture = false;
            media.Consumer.SetPreferredLayers(1, 1);
            void Feed(int from, int to)
            {
                for (var i = from; i < to; i++)
                {
                    packets[i].CopyTo(buffer, 0);
                    media.Sending.ReceiveInPlace(buffer, packets[i].Length);
                }
            }
            Feed(0, 100); // warm-up: first-packet events, stream creation
            var sentBefore = media.Receiving.RtpPacketsSent;
            var allocations = MeasureInThirds(100, packets.Length, Feed);
            return (allocations, media.Receiving.RtpPacketsSent - sentBefore);
        });

        Assert.Equal(950, forwarded); // temporal layers 0 and 1 of the pattern 0 2 1 2: half of the 1,900 measured
        Assert.True(allocated.Min() < 1900 / 3, $"bytes allocated per third of 1,900 packets: {string.Join(", ", allocated)}");
    }

    [Fact]
    public async Task Losses_and_rtx_repairs_on_the_way_in_allocate_nothing_per_packet()
    {
        using var media = await MediaHarness.StartAsync();
        var incoming = new List<byte[]>();
        for (var i = 0; i < 2000; i++)
        {
            var packet = MediaHarness.Vp8(1111, (ushort)(65000 + i), (uint)i * 3000, keyFrame: i == 0, fill: (byte)i);
            if (i % 50 != 25)
                incoming.Add(packet);
            if (i % 50 == 30) // the repair of the packet lost five before
            {
                var lost = MediaHarness.Parse(MediaHarness.Vp8(1111, (ushort)(65000 + i - 5), (uint)(i - 5) * 3000, keyFrame: false, fill: (byte)(i - 5)));
                incoming.Add(MediaHarness.Rtx(2222, (ushort)i, lost.Seq, (uint)(i - 5) * 3000, lost.Payload));
            }
        }
        var packets = incoming.ToArray();
        var buffer = new byte[1500];

        var allocated = await media.OnWorker(() =>
        {
            media.Sending.Capture = false;
            media.Receiving.Capture = false;
            for (var i = 0; i < 100; i++)
            {
                packets[i].CopyTo(buffer, 0);
                media.Sending.ReceiveInPlace(buffer, packets[i].Length);
            }
            return MeasureInThirds(100, packets.Length, (from, to) =>
            {
                for (var i = from; i < to; i++)
                {
                    packets[i].CopyTo(buffer, 0);
                    media.Sending.ReceiveInPlace(buffer, packets[i].Length);
                }
            });
        });

        Assert.True(allocated.Min() < (packets.Length - 100) / 3, $"bytes allocated per third of {packets.Length - 100} packets: {string.Join(", ", allocated)}");
        Assert.True(await media.OnWorker(() => media.Producer.Streams[0].RtxPacketCount) >= 38);
    }

    /// <summary>
    /// Bytes allocated while feeding each third of [from, to). A per-packet allocation shows in every
    /// third; a one-off (seen now and then in loaded CI runs, cause not pinned down) in one only, so tests judge the least.
    /// </summary>
    private static long[] MeasureInThirds(int from, int to, Action<int, int> feed)
    {
        var allocations = new long[3];
        var size = (to - from) / 3;
        for (var third = 0; third < 3; third++)
        {
            var start = from + third * size;
            var end = third == 2 ? to : start + size;
            var before = GC.GetAllocatedBytesForCurrentThread();
            feed(start, end);
            allocations[third] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        return allocations;
    }
}
