namespace MediaEngine.RtpObservers;

/// <summary>What an <see cref="AudioLevelObserver"/> reports at the end of an interval.</summary>
public abstract record AudioLevelObserverEvent(string ObserverId);

/// <summary>The loudest producers of the interval, loudest first (at most maxEntries, all above the threshold).</summary>
public sealed record AudioLevelObserverVolumes(string ObserverId, IReadOnlyList<AudioLevelObserverVolume> Volumes)
    : AudioLevelObserverEvent(ObserverId);

/// <summary>No producer was above the threshold; sent once on the transition to silence.</summary>
public sealed record AudioLevelObserverSilence(string ObserverId) : AudioLevelObserverEvent(ObserverId);

/// <summary>A producer's average level over the interval, in dBov (−127..0).</summary>
public sealed record AudioLevelObserverVolume(string ProducerId, int Volume);
