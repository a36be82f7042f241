using System.Numerics;

namespace MediaEngine.RtpStreams;

/// <summary>
/// Maps the wrapping counters of the stream being forwarded (RTP sequence numbers, timestamps,
/// VP8 PictureID and TL0PICIDX) onto a continuous output sequence, as mediasoup's RTC::SeqManager.
/// <see cref="Sync"/> rebases the output onto a new input sequence (a layer or producer switch),
/// <see cref="Drop"/> removes an input from the output without leaving a gap, and
/// <see cref="Input"/> translates, tolerating reordering and wrap-around. Values wider than 32
/// bits are not supported. Allocates only in the constructor. Not thread-safe.
/// </summary>
public sealed class SeqManager<T> where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    private const int MaxDroppedInputs = 512;

    private readonly uint _maxValue;
    private readonly uint _initialOutput;

    // Dropped inputs in ascending sequence order, oldest first; all within half the range of _maxInput.
    private readonly uint[] _dropped;
    private int _droppedStart;
    private int _droppedCount;

    private bool _started;
    private uint _base;
    private uint _maxInput;
    private uint _maxOutput;

    // Inputs not higher than this one would map onto outputs already used by an earlier mapping.
    private bool _hasStaleInputLimit;
    private uint _staleInputLimit;

    /// <param name="initialOutput">Added to every output, e.g. a random initial sequence number.</param>
    /// <param name="maxValue">
    /// The largest value of the counter, of the form 2^n - 1 (0x7FFF for a 15-bit PictureID);
    /// the maximum of <typeparamref name="T"/> when null.
    /// </param>
    public SeqManager(T initialOutput = default, T? maxValue = null)
    {
        if (ulong.CreateTruncating(T.AllBitsSet) > uint.MaxValue)
        {
            throw new NotSupportedException("Counters wider than 32 bits are not supported.");
        }

        _maxValue = uint.CreateTruncating(maxValue ?? T.AllBitsSet);
        if (_maxValue == 0 || (_maxValue & (_maxValue + 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxValue), "The maximum value must be of the form 2^n - 1.");
        }

        _initialOutput = uint.CreateTruncating(initialOutput) & _maxValue;
        _dropped = new uint[(int)Math.Min(MaxDroppedInputs, _maxValue / 2 + 1)];
    }

    /// <summary>The highest input seen, whether translated, dropped or synced to.</summary>
    public T MaxInput => T.CreateTruncating(_maxInput);

    /// <summary>Whether <paramref name="lhs"/> follows <paramref name="rhs"/> within half the range of <typeparamref name="T"/>.</summary>
    public static bool IsSeqHigherThan(T lhs, T rhs) =>
        IsHigher(uint.CreateTruncating(lhs), uint.CreateTruncating(rhs), uint.CreateTruncating(T.AllBitsSet));

    /// <summary>Whether <paramref name="lhs"/> precedes <paramref name="rhs"/> within half the range of <typeparamref name="T"/>.</summary>
    public static bool IsSeqLowerThan(T lhs, T rhs) =>
        IsHigher(uint.CreateTruncating(rhs), uint.CreateTruncating(lhs), uint.CreateTruncating(T.AllBitsSet));

    /// <summary>
    /// Makes <paramref name="input"/> correspond to the highest output produced so far, so that
    /// the input after it continues the output without a gap. Inputs up to
    /// <paramref name="input"/> are rejected from then on: they belong to the previous mapping.
    /// </summary>
    public void Sync(T input)
    {
        uint value = uint.CreateTruncating(input) & _maxValue;
        _base = (_maxOutput - value) & _maxValue;
        _maxInput = value;
        _droppedStart = 0;
        _droppedCount = 0;
        _hasStaleInputLimit = true;
        _staleInputLimit = value;
    }

    /// <summary>
    /// Removes <paramref name="input"/> from the output sequence: later inputs are shifted down so
    /// no gap appears. Ignored unless <paramref name="input"/> is the highest seen, as an output
    /// may already have been produced for anything after it.
    /// </summary>
    public void Drop(T input)
    {
        uint value = uint.CreateTruncating(input) & _maxValue;
        if (!IsHigher(value, _maxInput))
        {
            return;
        }

        SetMaxInput(value);
        if (_droppedCount == _dropped.Length)
        {
            ForgetOldestDroppedInput();
        }

        _dropped[(_droppedStart + _droppedCount) % _dropped.Length] = value;
        _droppedCount++;
        ClearDroppedOutOfRange();
    }

    /// <summary>
    /// Translates <paramref name="input"/>. False, with <paramref name="output"/> unset, for a
    /// dropped input and for inputs not after the last <see cref="Sync"/>.
    /// </summary>
    public bool Input(T input, out T output)
    {
        output = default;
        uint value = uint.CreateTruncating(input) & _maxValue;
        if (_hasStaleInputLimit && !IsHigher(value, _staleInputLimit))
        {
            return false;
        }

        uint inputBase = _base;
        if (_droppedCount > 0)
        {
            if (_started && IsHigher(value, _maxInput))
            {
                SetMaxInput(value);
            }

            ClearDroppedOutOfRange();
            int droppedAfterInput = 0;
            for (int index = _droppedCount - 1; index >= 0; index--)
            {
                uint dropped = _dropped[(_droppedStart + index) % _dropped.Length];
                if (dropped == value)
                {
                    return false;
                }

                if (!IsHigher(dropped, value))
                {
                    break;
                }

                droppedAfterInput++;
            }

            inputBase = _base - (uint)(_droppedCount - droppedAfterInput);
        }

        uint mapped = (value + inputBase) & _maxValue;
        if (!_started)
        {
            _started = true;
            SetMaxInput(value);
            _maxOutput = mapped;
        }
        else
        {
            if (IsHigher(value, _maxInput))
            {
                SetMaxInput(value);
            }

            if (IsHigher(mapped, _maxOutput))
            {
                _maxOutput = mapped;
            }
        }

        output = T.CreateTruncating((mapped + _initialOutput) & _maxValue);
        return true;
    }

    private static bool IsHigher(uint lhs, uint rhs, uint maxValue) =>
        (lhs > rhs && lhs - rhs <= maxValue / 2) || (rhs > lhs && rhs - lhs > maxValue / 2);

    private bool IsHigher(uint lhs, uint rhs) => IsHigher(lhs, rhs, _maxValue);

    private void SetMaxInput(uint value)
    {
        _maxInput = value;

        // Far enough behind, the limit would start to compare as being ahead of new inputs.
        if (_hasStaleInputLimit && ((_maxInput - _staleInputLimit) & _maxValue) > _maxValue / 4)
        {
            _hasStaleInputLimit = false;
        }
    }

    // Folds the oldest dropped input into the base. Inputs before it would now be translated one
    // too low, so they are rejected from then on.
    private void ForgetOldestDroppedInput()
    {
        _hasStaleInputLimit = true;
        _staleInputLimit = _dropped[_droppedStart];
        RemoveOldestDroppedInput();
    }

    // Dropped inputs more than half the range behind the highest input belong to a previous cycle.
    private void ClearDroppedOutOfRange()
    {
        while (_droppedCount > 0 && IsHigher(_dropped[_droppedStart], _maxInput))
        {
            RemoveOldestDroppedInput();
        }
    }

    private void RemoveOldestDroppedInput()
    {
        _base = (_base - 1) & _maxValue;
        _droppedStart = (_droppedStart + 1) % _dropped.Length;
        _droppedCount--;
    }
}
