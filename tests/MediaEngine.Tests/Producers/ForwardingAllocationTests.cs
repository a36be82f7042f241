namespace MediaEngine.Tests.Producers;

/// <summary>
/// The per-packet path (receive, NACK bookkeeping, layer selection, VP8 rewrite, sequence mapping,
/// send) allocates nothing: in the quietest of <see cref="SteadyState.Windows"/> windows of packets, less than
/// one byte per packet (any per-packet allocation is 24 bytes at least).
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
            var allocations = MeasurePerWindow(100, packets.Length, Feed);
            return (allocations, media.Receiving.RtpPacketsSent - sentBefore);
        });

        Assert.Equal(950, forwarded); // temporal layers 0 and 1 of the pattern 0 2 1 2: half of the 1,900 measured
        Assert.True(allocated.Min() < 1900 / SteadyState.Windows, $"bytes allocated per window of 1,900 packets: {string.Join(", ", allocated)}");
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
            return MeasurePerWindow(100, packets.Length, (from, to) =>
            {
                for (var i = from; i < to; i++)
                {
                    packets[i].CopyTo(buffer, 0);
                    media.Sending.ReceiveInPlace(buffer, packets[i].Length);
                }
            });
        });

        Assert.True(allocated.Min() < (packets.Length - 100) / SteadyState.Windows, $"bytes allocated per window of {packets.Length - 100} packets: {string.Join(", ", allocated)}");
        Assert.True(await media.OnWorker(() => media.Producer.Streams[0].RtxPacketCount) >= 38);
    }

    /// <summary>Bytes allocated while feeding each of <see cref="SteadyState.Windows"/> equal parts of [from, to).</summary>
    private static long[] MeasurePerWindow(int from, int to, Action<int, int> feed)
    {
        var size = (to - from) / SteadyState.Windows;
        return SteadyState.AllocationsPerWindow(window =>
        {
            var start = from + window * size;
            feed(start, window == SteadyState.Windows - 1 ? to : start + size);
        });
    }
}
