namespace Signaling;

/// <summary>
/// A rate limit without a clock of its own: <paramref name="ratePerSecond"/> tokens a second up to
/// <paramref name="burst"/>, the time given on each take (seconds, from any fixed origin).
/// Not thread-safe: one reader loop owns it.
/// </summary>
public sealed class TokenBucket(double ratePerSecond, int burst)
{
    private double _tokens = burst;
    private double? _lastSeconds;

    /// <summary>Takes one token if there is one at <paramref name="nowSeconds"/>.</summary>
    public bool TryTake(double nowSeconds)
    {
        if (_lastSeconds is { } last && nowSeconds > last)
            _tokens = Math.Min(burst, _tokens + (nowSeconds - last) * ratePerSecond);
        if (_lastSeconds is null || nowSeconds > _lastSeconds)
            _lastSeconds = nowSeconds;
        if (_tokens < 1)
            return false;
        _tokens -= 1;
        return true;
    }
}
