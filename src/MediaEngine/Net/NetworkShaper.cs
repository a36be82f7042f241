namespace MediaEngine.Net;

/// <summary>
/// One direction of a shaped link, sans-IO: each datagram offered is dropped (random loss, or a full
/// queue) or given the time it leaves: after the datagrams before it have gone through at the link's
/// bitrate, plus the fixed delay. The caller keeps what it was given and sends it when due.
/// </summary>
public sealed class NetworkShaper
{
    /// <summary>The most a datagram may wait for the link before it is dropped, as a router's queue does.</summary>
    public static readonly TimeSpan MaxQueueDelay = TimeSpan.FromMilliseconds(500);

    private readonly NetworkShape _shape;
    private readonly Random _random;
    private TimeSpan _linkFreeAt;

    public NetworkShaper(NetworkShape shape, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shape.BitsPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.Delay, TimeSpan.Zero);
        if (shape.Loss is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(shape), shape.Loss, "Loss is a share between 0 and 1.");
        _shape = shape;
        _random = random ?? Random.Shared;
    }

    public long Dropped { get; private set; }

    /// <returns>False when the datagram is lost; else when it leaves the link.</returns>
    public bool TryAdmit(int length, TimeSpan now, out TimeSpan departure)
    {
        departure = default;
        if (_shape.Loss > 0 && _random.NextDouble() < _shape.Loss)
        {
            Dropped++;
            return false;
        }
        var start = _linkFreeAt > now ? _linkFreeAt : now;
        if (start - now > MaxQueueDelay)
        {
            Dropped++;
            return false;
        }
        var transmission = _shape.BitsPerSecond > 0
            ? TimeSpan.FromTicks(length * 8L * TimeSpan.TicksPerSecond / _shape.BitsPerSecond)
            : TimeSpan.Zero;
        _linkFreeAt = start + transmission;
        departure = _linkFreeAt + _shape.Delay;
        return true;
    }
}
