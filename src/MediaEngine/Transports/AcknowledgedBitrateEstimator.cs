namespace MediaEngine.Transports;

/// <summary>
/// The rate at which the receiver got our packets, from the arrival times in transport-wide
/// feedback, over windows of at least 250 ms of the receiver's clock. While a queue builds this
/// is the path's throughput, what GCC's rate control decreases toward. No allocation.
/// </summary>
internal sealed class AcknowledgedBitrateEstimator
{
    private const long WindowMicroseconds = 250_000;

    /// <summary>A gap or backward jump past these (receiver restarted, feedback lost for long) restarts the window.</summary>
    private const long MaxGapMicroseconds = 5_000_000;
    private const long MaxBackwardMicroseconds = 1_000_000;

    private long _windowStart = -1;
    private long _windowBytes;

    /// <summary>Bits per second over the last complete window; null before the first.</summary>
    public uint? Bitrate { get; private set; }

    public void PacketArrived(long arrivalMicroseconds, int size)
    {
        if (_windowStart < 0 || arrivalMicroseconds - _windowStart > MaxGapMicroseconds || _windowStart - arrivalMicroseconds > MaxBackwardMicroseconds)
        {
            _windowStart = arrivalMicroseconds;
            _windowBytes = 0;
        }
        var span = arrivalMicroseconds - _windowStart;
        if (span < 0)
            span = 0; // reordered: counted in the window it arrived in
        if (span >= WindowMicroseconds)
        {
            Bitrate = (uint)Math.Min(uint.MaxValue, _windowBytes * 8 * 1_000_000 / span);
            _windowBytes = 0;
            _windowStart = arrivalMicroseconds;
        }
        _windowBytes += size;
    }
}
