using System.Globalization;

namespace MediaEngine.Rtp;

/// <summary>
/// Hands out the MIDs of the consumers on one transport, as mediasoup does: "0", "1", … up to
/// "99999999", then "0" again. Being decimal numbers, they never clash with the "probator" MID that
/// mediasoup-client reserves for its bandwidth probation stream. Not thread-safe: owned by its transport.
/// </summary>
public sealed class ConsumerMidAllocator
{
    /// <summary>The number of distinct MIDs before they repeat.</summary>
    public const int Capacity = 100_000_000;

    private int next;

    /// <param name="next">The number of the next MID, for a transport restored from saved state.</param>
    public ConsumerMidAllocator(int next = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(next);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(next, Capacity);
        this.next = next;
    }

    public string Allocate()
    {
        var mid = next.ToString(CultureInfo.InvariantCulture);
        next = (next + 1) % Capacity;
        return mid;
    }
}
