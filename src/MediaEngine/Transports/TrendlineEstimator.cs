namespace MediaEngine.Transports;

/// <summary>
/// The delay trend of Google congestion control (libwebrtc's TrendlineEstimator, draft-ietf-rmcat-gcc
/// §5.3–5.4): accumulates the one-way delay variation of packet groups, smooths it, fits a line
/// over the last 20 groups and compares its slope with an adaptive threshold. A slope above the
/// threshold for over 10 ms of sending (and growing) is overuse; below its negative, underuse.
/// Allocates only in the constructor. Not thread-safe.
/// </summary>
internal sealed class TrendlineEstimator
{
    private const int WindowSize = 20;
    private const double SmoothingCoefficient = 0.9;
    private const double ThresholdGain = 4;
    private const int MaxDeltasForGain = 60;
    private const double OverusingTimeThresholdMs = 10;
    private const double ThresholdUp = 0.0087;
    private const double ThresholdDown = 0.039;
    private const double MaxThresholdStep = 15;
    private const double MinThreshold = 6;
    private const double MaxThreshold = 600;

    private readonly double[] _arrivalMs = new double[WindowSize];
    private readonly double[] _smoothedDelayMs = new double[WindowSize];
    private int _windowCount;
    private int _windowNext;
    private long _firstArrival = -1;
    private int _deltaCount;
    private double _accumulatedDelayMs;
    private double _smoothedDelay;
    private double _previousTrend;
    private double _timeOverUsingMs = -1;
    private int _overuseCount;
    private long _lastThresholdUpdate = -1;

    public BandwidthUsage State { get; private set; } = BandwidthUsage.Normal;

    /// <summary>The adaptive threshold the modified trend is compared with.</summary>
    public double Threshold { get; private set; } = 12.5;

    /// <summary>One group's deltas (milliseconds) and its arrival time (receiver clock, microseconds).</summary>
    public void Update(double arrivalDeltaMs, double sendDeltaMs, long arrivalMicroseconds)
    {
        _deltaCount = Math.Min(_deltaCount + 1, 1000);
        _accumulatedDelayMs += arrivalDeltaMs - sendDeltaMs;
        _smoothedDelay = SmoothingCoefficient * _smoothedDelay + (1 - SmoothingCoefficient) * _accumulatedDelayMs;
        if (_firstArrival < 0)
            _firstArrival = arrivalMicroseconds;
        _arrivalMs[_windowNext] = (arrivalMicroseconds - _firstArrival) / 1000.0;
        _smoothedDelayMs[_windowNext] = _smoothedDelay;
        _windowNext = (_windowNext + 1) % WindowSize;
        _windowCount = Math.Min(_windowCount + 1, WindowSize);

        var trend = _windowCount == WindowSize ? Slope() ?? _previousTrend : _previousTrend;
        Detect(trend, sendDeltaMs, arrivalMicroseconds);
    }

    /// <summary>Least-squares slope of smoothed delay over arrival time; null when every arrival time is equal.</summary>
    private double? Slope()
    {
        double sumX = 0, sumY = 0;
        for (var i = 0; i < WindowSize; i++)
        {
            sumX += _arrivalMs[i];
            sumY += _smoothedDelayMs[i];
        }
        double meanX = sumX / WindowSize, meanY = sumY / WindowSize, numerator = 0, denominator = 0;
        for (var i = 0; i < WindowSize; i++)
        {
            var dx = _arrivalMs[i] - meanX;
            numerator += dx * (_smoothedDelayMs[i] - meanY);
            denominator += dx * dx;
        }
        return denominator == 0 ? null : numerator / denominator;
    }

    private void Detect(double trend, double sendDeltaMs, long now)
    {
        if (_deltaCount < 2)
        {
            State = BandwidthUsage.Normal;
            return;
        }
        var modifiedTrend = Math.Min(_deltaCount, MaxDeltasForGain) * trend * ThresholdGain;
        if (modifiedTrend > Threshold)
        {
            _timeOverUsingMs = _timeOverUsingMs < 0 ? sendDeltaMs / 2 : _timeOverUsingMs + sendDeltaMs;
            _overuseCount++;
            if (_timeOverUsingMs > OverusingTimeThresholdMs && _overuseCount > 1 && trend >= _previousTrend)
            {
                _timeOverUsingMs = 0;
                _overuseCount = 0;
                State = BandwidthUsage.Overusing;
            }
        }
        else if (modifiedTrend < -Threshold)
        {
            _timeOverUsingMs = -1;
            _overuseCount = 0;
            State = BandwidthUsage.Underusing;
        }
        else
        {
            _timeOverUsingMs = -1;
            _overuseCount = 0;
            State = BandwidthUsage.Normal;
        }
        _previousTrend = trend;
        UpdateThreshold(modifiedTrend, now);
    }

    /// <summary>The threshold follows the trend (slowly up, faster down) so that it neither starves against TCP nor reacts to noise.</summary>
    private void UpdateThreshold(double modifiedTrend, long now)
    {
        if (_lastThresholdUpdate < 0)
            _lastThresholdUpdate = now;
        var magnitude = Math.Abs(modifiedTrend);
        if (magnitude > Threshold + MaxThresholdStep)
        {
            _lastThresholdUpdate = now; // a spike (e.g. a route change) must not drag the threshold up
            return;
        }
        var k = magnitude < Threshold ? ThresholdDown : ThresholdUp;
        var elapsedMs = Math.Min((now - _lastThresholdUpdate) / 1000.0, 100);
        Threshold = Math.Clamp(Threshold + k * (magnitude - Threshold) * elapsedMs, MinThreshold, MaxThreshold);
        _lastThresholdUpdate = now;
    }
}
