using MediaEngine.Rtp.Packets;
using MediaEngine.RtpObservers;

namespace MediaEngine.Tests.RtpObservers;

public class AudioLevelObserverTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(800);
    private const int AudioLevelId = 10;

    private static AudioLevelObserver NewObserver(int maxEntries = 1) => new("alo", new AudioLevelObserverOptions(maxEntries, -80, Interval), Start);

    /// <summary>What Producer.ReceiveRtp does for each packet: the ssrc-audio-level byte of a real RTP packet.</summary>
    private static void Feed(ObservedAudioProducer producer, byte level, int packets, bool voice = true)
    {
        var buffer = new byte[200];
        for (var i = 0; i < packets; i++)
        {
            var writer = new RtpPacketWriter(buffer, 100, false, (ushort)i, (uint)(i * 960), 1234);
            writer.AddExtension(AudioLevelId, [(byte)((voice ? 0x80 : 0) | level)]);
            var length = writer.Finish(new byte[20]);
            Assert.True(RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet));
            Assert.True(packet.TryGetHeaderExtension(AudioLevelId, out var value));
            producer.ReceiveLevel(value[0]);
        }
    }

    [Fact]
    public void The_loudest_producer_is_reported_at_the_end_of_the_interval_with_its_truncated_average()
    {
        var observer = NewObserver();
        var alice = observer.AddProducer("alice");
        var bob = observer.AddProducer("bob");
        Feed(alice, 30, 10);
        Feed(alice, 31, 10); // mean 30.5 → -30
        Feed(bob, 50, 20);

        Assert.Null(observer.Poll(Start + Interval - TimeSpan.FromMilliseconds(1)));
        var report = Assert.IsType<AudioLevelObserverVolumes>(observer.Poll(Start + Interval));

        Assert.Equal("alo", report.ObserverId);
        Assert.Equal([new AudioLevelObserverVolume("alice", -30)], report.Volumes);
    }

    [Fact]
    public void MaxEntries_limits_the_report_loudest_first()
    {
        var observer = NewObserver(maxEntries: 2);
        var quiet = observer.AddProducer("quiet");
        var loud = observer.AddProducer("loud");
        var middle = observer.AddProducer("middle");
        Feed(quiet, 70, 12);
        Feed(loud, 10, 12);
        Feed(middle, 40, 12);

        var report = Assert.IsType<AudioLevelObserverVolumes>(observer.Poll(Start + Interval));

        Assert.Equal(["loud", "middle"], report.Volumes.Select(v => v.ProducerId));
        Assert.Equal([-10, -40], report.Volumes.Select(v => v.Volume));
    }

    [Fact]
    public void Silence_is_reported_once_on_the_transition_and_not_at_the_start()
    {
        var observer = NewObserver();
        var alice = observer.AddProducer("alice");

        Feed(alice, 127, 40);
        Assert.Null(observer.Poll(Start + Interval)); // silent from the start: nothing to report

        Feed(alice, 20, 40);
        Assert.IsType<AudioLevelObserverVolumes>(observer.Poll(Start + 2 * Interval));

        Feed(alice, 81, 40); // -81 dBov: under the -80 threshold
        Assert.Equal(new AudioLevelObserverSilence("alo"), observer.Poll(Start + 3 * Interval));
        Feed(alice, 127, 40);
        Assert.Null(observer.Poll(Start + 4 * Interval));
        Assert.Null(observer.Poll(Start + 5 * Interval));
    }

    [Fact]
    public void The_threshold_itself_counts_as_sound()
    {
        var observer = NewObserver();
        Feed(observer.AddProducer("alice"), 80, 10);

        var report = Assert.IsType<AudioLevelObserverVolumes>(observer.Poll(Start + Interval));
        Assert.Equal(-80, report.Volumes[0].Volume);
    }

    [Fact]
    public void A_producer_with_fewer_than_ten_levels_in_the_interval_does_not_count()
    {
        var observer = NewObserver();
        var alice = observer.AddProducer("alice");
        var bob = observer.AddProducer("bob");
        Feed(alice, 5, 9);
        Feed(bob, 60, 10);

        var report = Assert.IsType<AudioLevelObserverVolumes>(observer.Poll(Start + Interval));
        Assert.Equal("bob", report.Volumes.Single().ProducerId);
    }

    [Fact]
    public void Each_interval_starts_from_zero()
    {
        var observer = NewObserver();
        var alice = observer.AddProducer("alice");
        Feed(alice, 10, 30);
        Assert.IsType<AudioLevelObserverVolumes>(observer.Poll(Start + Interval));

        Feed(alice, 10, 5); // 5 new levels only: the previous 30 are gone
        Assert.Equal(new AudioLevelObserverSilence("alo"), observer.Poll(Start + 2 * Interval));
    }

    [Fact]
    public void The_voice_activity_bit_does_not_change_the_level()
    {
        var observer = NewObserver();
        var alice = observer.AddProducer("alice");
        Feed(alice, 25, 10, voice: true);
        Feed(alice, 25, 10, voice: false);

        var report = Assert.IsType<AudioLevelObserverVolumes>(observer.Poll(Start + Interval));
        Assert.Equal(-25, report.Volumes[0].Volume);
    }

    [Fact]
    public void A_paused_producer_loses_the_levels_of_its_interval_and_a_removed_one_is_not_reported()
    {
        var observer = NewObserver();
        var alice = observer.AddProducer("alice");
        var bob = observer.AddProducer("bob");
        Feed(alice, 10, 30);
        Feed(bob, 60, 30);
        observer.ProducerPaused("alice");

        var report = Assert.IsType<AudioLevelObserverVolumes>(observer.Poll(Start + Interval));
        Assert.Equal("bob", report.Volumes.Single().ProducerId);

        Assert.True(observer.RemoveProducer("bob"));
        Feed(bob, 60, 30); // a stale accumulator the producer might still hold
        Assert.Equal(new AudioLevelObserverSilence("alo"), observer.Poll(Start + 2 * Interval));
        Assert.Equal(["alice"], observer.ProducerIds);
    }

    [Fact]
    public void A_late_poll_does_not_shift_the_intervals_and_a_long_stall_restarts_them()
    {
        var observer = NewObserver();
        var alice = observer.AddProducer("alice");
        Feed(alice, 10, 10);
        Assert.NotNull(observer.Poll(Start + Interval + TimeSpan.FromMilliseconds(30)));
        Assert.Equal(Start + 2 * Interval, observer.NextUpdate);

        var stalled = Start + 5 * Interval + TimeSpan.FromMilliseconds(100);
        observer.Poll(stalled);
        Assert.Equal(stalled + Interval, observer.NextUpdate);
    }

    [Fact]
    public void Adding_a_producer_twice_and_invalid_options_are_refused()
    {
        var observer = NewObserver();
        observer.AddProducer("alice");
        Assert.Throws<InvalidOperationException>(() => observer.AddProducer("alice"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioLevelObserver("x", new AudioLevelObserverOptions(0, -80, Interval), Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioLevelObserver("x", new AudioLevelObserverOptions(1, 1, Interval), Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioLevelObserver("x", new AudioLevelObserverOptions(1, -128, Interval), Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioLevelObserver("x", new AudioLevelObserverOptions(1, -80, TimeSpan.Zero), Start));
    }

    [Fact]
    public void Receiving_a_level_allocates_nothing()
    {
        var observer = NewObserver();
        var alice = observer.AddProducer("alice");
        alice.ReceiveLevel(40);
        SteadyState.AssertAllocatesNothing(() =>
        {
            for (var i = 0; i < 10_000; i++)
                alice.ReceiveLevel((byte)(i & 0x7F));
        });
    }
}
