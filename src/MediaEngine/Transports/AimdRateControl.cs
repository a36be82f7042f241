namespace MediaEngine.Transports;

/// <summary>
/// The delay-based rate of Google congestion control (draft-ietf-rmcat-gcc §5.5, libwebrtc's
/// AimdRateControl): on overuse, down to 0.85 × the acknowledged bitrate (at most once per
/// 200 ms); on underuse, hold while queues drain; otherwise up, by 8% a second while far from
/// the last known link capacity and by about one packet per response time near it. No probing, so
/// an increase stops at libwebrtc's throughput limit, 1.5 × the acknowledged bitrate + 10 kbps (on
/// a path the sender does not fill nothing says whether more would pass), or at the demand (what
/// the consumers would send with no limit) when that is higher: a consumer stepping up a layer is
/// what shows whether the path carries more. The limit never lowers the rate. No allocation.
/// </summary>
internal sealed class AimdRateControl(uint initialBitrate, uint minBitrate, uint maxBitrate)
{
    private const double Beta = 0.85;
    private const double MultiplicativeIncreasePerSecond = 1.08;
    private const double PacketBits = 1200 * 8;
    private const double ThroughputLimitFactor = 1.5;
    private const double ThroughputLimitMargin = 10_000;
    private static readonly TimeSpan ResponseTime = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan DecreaseInterval = TimeSpan.FromMilliseconds(200);

    private TimeSpan? _lastUpdate;
    private TimeSpan? _lastDecrease;
    private bool _holding = true;

    public double Bitrate { get; private set; } = initialBitrate;

    /// <summary>Average acknowledged bitrate at past overuses: where the path's capacity was; null when unknown.</summary>
    public double? LinkCapacity { get; private set; }

    /// <summary>
    /// One delay-based update: the trend's verdict, the acknowledged bitrate (null until known) and
    /// <paramref name="demandBitrate"/>, what the consumers would send with no limit.
    /// </summary>
    public void Update(BandwidthUsage usage, uint? acknowledgedBitrate, uint demandBitrate, TimeSpan now)
    {
        var elapsed = _lastUpdate is { } last ? Math.Min((now - last).TotalSeconds, 1.0) : 0;
        _lastUpdate = now;
        // Throughput well past the old capacity: the path changed, search multiplicatively again.
        if (LinkCapacity is { } known && acknowledgedBitrate is { } acked && acked > known * 1.1)
            LinkCapacity = null;
        switch (usage)
        {
            case BandwidthUsage.Overusing:
                _holding = true;
                if (_lastDecrease is { } decreased && now - decreased < DecreaseInterval)
                    return;
                _lastDecrease = now;
                var target = Beta * (acknowledgedBitrate is > 0 ? acknowledgedBitrate.Value : Bitrate);
                if (acknowledgedBitrate is > 0)
                    LinkCapacity = LinkCapacity is { } capacity ? 0.95 * capacity + 0.05 * acknowledgedBitrate.Value : acknowledgedBitrate.Value;
                Bitrate = Math.Clamp(Math.Min(target, Bitrate), minBitrate, maxBitrate);
                return;
            case BandwidthUsage.Underusing:
                _holding = true;
                return;
            default:
                if (_holding)
                {
                    _holding = false; // the increase starts from this update
                    return;
                }
                if (LinkCapacity is { } capacityNear && Bitrate > capacityNear * 1.5)
                    LinkCapacity = null; // far past it without overuse: no longer a guide
                var increased = LinkCapacity is null
                    ? Bitrate * Math.Pow(MultiplicativeIncreasePerSecond, elapsed)
                    : Bitrate + Math.Max(1_000 * elapsed, PacketBits / ResponseTime.TotalSeconds * elapsed);
                if (acknowledgedBitrate is { } throughput)
                {
                    var limit = Math.Max(ThroughputLimitFactor * throughput + ThroughputLimitMargin, demandBitrate);
                    if (increased > limit)
                        increased = Math.Max(Bitrate, limit);
                }
                Bitrate = Math.Clamp(increased, minBitrate, maxBitrate);
                return;
        }
    }
}
