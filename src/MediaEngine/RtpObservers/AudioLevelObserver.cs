namespace MediaEngine.RtpObservers;

/// <summary>
/// mediasoup's AudioLevelObserver, sans-IO: producers' packets feed levels in
/// (<see cref="ObservedAudioProducer.ReceiveLevel"/>), time comes in through <see cref="Poll"/>,
/// and at the end of every interval it reports the loudest producers, or silence once when
/// none is above the threshold. A producer needs 10 levels in an interval to count; its
/// average is the truncated mean of the levels. Not thread-safe: the router's worker thread only.
/// </summary>
public sealed class AudioLevelObserver
{
    private const int MinimumLevelsPerInterval = 10;
    private const int LowestDbov = -127;

    private readonly List<ObservedAudioProducer> _producers = new();
    private readonly List<AudioLevelObserverVolume> _loudest = new();
    private TimeSpan _nextUpdate;
    private bool _silence = true;

    public AudioLevelObserver(string id, AudioLevelObserverOptions options, TimeSpan now)
    {
        if (options.MaxEntries < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "maxEntries must be at least 1");
        if (options.Threshold is < LowestDbov or > 0)
            throw new ArgumentOutOfRangeException(nameof(options), "threshold must be between -127 and 0");
        if (options.Interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "interval must be positive");
        Id = id;
        Options = options;
        _nextUpdate = now + options.Interval;
    }

    public string Id { get; }

    public AudioLevelObserverOptions Options { get; }

    public IEnumerable<string> ProducerIds => _producers.Select(p => p.ProducerId);

    /// <summary>Starts observing a producer; the returned accumulator is what its receive path feeds.</summary>
    public ObservedAudioProducer AddProducer(string producerId)
    {
        if (_producers.Any(p => p.ProducerId == producerId))
            throw new InvalidOperationException($"producer with id \"{producerId}\" already in the observer");
        var observed = new ObservedAudioProducer(this, producerId);
        _producers.Add(observed);
        return observed;
    }

    public bool RemoveProducer(string producerId) => _producers.RemoveAll(p => p.ProducerId == producerId) > 0;

    /// <summary>A paused producer's levels so far in the interval are forgotten (and it sends none while paused).</summary>
    public void ProducerPaused(string producerId)
    {
        foreach (var producer in _producers)
        {
            if (producer.ProducerId == producerId)
                producer.Reset();
        }
    }

    /// <summary>When the current interval ends.</summary>
    public TimeSpan NextUpdate => _nextUpdate;

    /// <summary>
    /// The event of the interval that ended at or before <paramref name="now"/>, if any; null
    /// while the interval runs, and at its end when the room was already silent.
    /// </summary>
    public AudioLevelObserverEvent? Poll(TimeSpan now)
    {
        if (now < _nextUpdate)
            return null;
        // Phase-locked to the start, so a timer that fires a little late never skips an interval.
        _nextUpdate += Options.Interval;
        if (_nextUpdate <= now)
            _nextUpdate = now + Options.Interval;
        return Update();
    }

    private AudioLevelObserverEvent? Update()
    {
        _loudest.Clear();
        foreach (var producer in _producers)
        {
            if (producer.Count >= MinimumLevelsPerInterval)
            {
                var volume = -(producer.Sum / producer.Count);
                if (volume >= Options.Threshold)
                    _loudest.Add(new AudioLevelObserverVolume(producer.ProducerId, volume));
            }
            producer.Reset();
        }
        if (_loudest.Count > 0)
        {
            _silence = false;
            // Stable: of equally loud producers the one added first comes first.
            var volumes = _loudest.OrderByDescending(v => v.Volume).Take(Options.MaxEntries).ToArray();
            return new AudioLevelObserverVolumes(Id, volumes);
        }
        if (_silence)
            return null;
        _silence = true;
        return new AudioLevelObserverSilence(Id);
    }
}
