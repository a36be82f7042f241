namespace MediaEngine.RtpObservers;

/// <summary>
/// mediasoup's AudioLevelObserverOptions: at most <paramref name="MaxEntries"/> producers in a
/// 'volumes' event, only those whose average over the interval is at least
/// <paramref name="Threshold"/> dBov (−127..0), evaluated every <paramref name="Interval"/>.
/// </summary>
public sealed record AudioLevelObserverOptions(int MaxEntries, int Threshold, TimeSpan Interval)
{
    /// <summary>What mediasoup-demo's room creates: the loudest producer, above −80 dBov, every 800 ms.</summary>
    public static AudioLevelObserverOptions Demo { get; } = new(1, -80, TimeSpan.FromMilliseconds(800));
}
