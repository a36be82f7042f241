namespace MediaEngine.RtpStreams;

/// <summary>
/// The average of the last values added, each weighing its rank (the oldest 1, the newest the
/// count), as mediasoup keeps stream scores and transport-cc packet loss. Allocates only in the
/// constructor. Not thread-safe.
/// </summary>
public sealed class RecentWeightedAverage(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private int _start;
    private int _count;

    /// <summary>0 until a value is added.</summary>
    public double Value { get; private set; }

    public void Add(double value)
    {
        if (_count == _values.Length)
        {
            _start = (_start + 1) % _values.Length;
            _count--;
        }

        _values[(_start + _count) % _values.Length] = value;
        _count++;

        double weights = 0;
        double total = 0;
        for (int weight = 1; weight <= _count; weight++)
        {
            weights += weight;
            total += weight * _values[(_start + weight - 1) % _values.Length];
        }

        Value = total / weights;
    }

    public void Clear()
    {
        _start = 0;
        _count = 0;
        Value = 0;
    }
}
