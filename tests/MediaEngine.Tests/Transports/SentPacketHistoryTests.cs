using MediaEngine.Transports;

namespace MediaEngine.Tests.Transports;

public sealed class SentPacketHistoryTests
{
    private static readonly long Millisecond = TimeSpan.TicksPerMillisecond;

    [Fact]
    public void A_packet_is_reported_once_with_its_size_and_send_time()
    {
        var history = new SentPacketHistory();
        history.Add(7, 1200, 5 * Millisecond);

        Assert.True(history.TryReport(7, out var size, out var sentAt));
        Assert.Equal(1200, size);
        Assert.Equal(5 * Millisecond, sentAt);
        Assert.False(history.TryReport(7, out _, out _));
        Assert.False(history.TryReport(8, out _, out _));
    }

    [Fact]
    public void A_hundred_packets_a_second_stay_in_the_initial_ring()
    {
        var history = new SentPacketHistory();
        for (var i = 0; i < 10_000; i++)
        {
            history.Add((ushort)i, 1000, (1 + i) * 10 * Millisecond);
            if (i >= 20)
                Assert.True(history.TryReport((ushort)(i - 20), out _, out _));
        }

        Assert.Equal(SentPacketHistory.InitialCapacity, history.Capacity);
    }

    [Fact]
    public void The_ring_grows_rather_than_overwrite_packets_sent_in_the_last_second()
    {
        var history = new SentPacketHistory();
        // 5,000 packets/s, no feedback for 400 ms: 2,000 packets waiting.
        for (var i = 0; i < 2000; i++)
            history.Add((ushort)(65000 + i), 1000, (1 + i) * Millisecond / 5);

        Assert.Equal(2048, history.Capacity);
        for (var i = 0; i < 2000; i++)
            Assert.True(history.TryReport((ushort)(65000 + i), out _, out var sentAt) && sentAt == (1 + i) * Millisecond / 5, $"packet {i}");
    }

    [Fact]
    public void Packets_older_than_a_second_are_overwritten_without_growing()
    {
        var history = new SentPacketHistory();
        for (var i = 0; i < 3 * SentPacketHistory.InitialCapacity; i++)
            history.Add((ushort)i, 1000, (1 + i) * 2 * Millisecond);

        Assert.Equal(SentPacketHistory.InitialCapacity, history.Capacity);
        Assert.False(history.TryReport(0, out _, out _));
        Assert.True(history.TryReport((ushort)(3 * SentPacketHistory.InitialCapacity - 1), out _, out _));
    }
}
