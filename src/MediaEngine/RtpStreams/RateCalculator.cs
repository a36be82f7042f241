namespace MediaEngine.RtpStreams;

/// <summary>
/// Bits per second over a sliding window, as mediasoup's RTC::RateCalculator: the window is split
/// into items, each holding the bytes counted during it, and the rate is what the items still in
/// the window hold over the window's length. Bytes given for a time older than the window are
/// ignored. Times are monotonic and supplied by the caller. Allocates only in the constructor.
/// Not thread-safe.
/// </summary>
public sealed class RateCalculator
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(1);
    private const int DefaultItemCount = 100;

    private readonly long[] _items;
    private readonly long _windowTicks;
    private readonly long _itemTicks;
    private int _newestItem;
    private long _newestItemStartTicks;
    private long _total;

    public RateCalculator()
        : this(DefaultWindow)
    {
    }

    public RateCalculator(TimeSpan window, int itemCount = DefaultItemCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        _windowTicks = window.Ticks;
        // Rounded up, so that itemCount items always cover the window.
        _itemTicks = (_windowTicks + itemCount - 1) / itemCount;
        _items = new long[(_windowTicks + _itemTicks - 1) / _itemTicks];
    }

    public void Update(int bytes, TimeSpan now)
    {
        if (!SlideWindow(now.Ticks))
            return;
        _items[_newestItem] += bytes;
        _total += bytes;
    }

    /// <summary>Bits per second over the window ending at <paramref name="now"/>.</summary>
    public long GetRate(TimeSpan now)
    {
        SlideWindow(now.Ticks);
        return (long)Math.Round(_total * 8.0 * TimeSpan.TicksPerSecond / _windowTicks, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Expires the items that left the window ending at <paramref name="nowTicks"/> and makes the
    /// item holding it the newest; false when that time is older than the whole window.
    /// </summary>
    private bool SlideWindow(long nowTicks)
    {
        var elapsed = nowTicks - _newestItemStartTicks;
        if (elapsed <= -_windowTicks)
            return false;
        if (elapsed < _itemTicks)
            return true;
        var steps = elapsed / _itemTicks;
        if (steps >= _items.Length)
        {
            Array.Clear(_items);
            _total = 0;
            _newestItem = 0;
            _newestItemStartTicks = nowTicks;
            return true;
        }
        for (var i = 0; i < steps; i++)
        {
            _newestItem = (_newestItem + 1) % _items.Length;
            _total -= _items[_newestItem];
            _items[_newestItem] = 0;
        }
        // Whole items only: stretching the newest one to now would make the ring span more than the window.
        _newestItemStartTicks += steps * _itemTicks;
        return true;
    }
}
