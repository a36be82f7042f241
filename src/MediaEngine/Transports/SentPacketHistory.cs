namespace MediaEngine.Transports;

/// <summary>
/// The packets a transport sent, by transport-wide sequence number, until transport-cc feedback
/// reports them: size and send time, each reported once. A ring indexed by sequence number that
/// starts small and doubles while packets would be overwritten before they could be reported (sent
/// within the last second), so a transport at 100 packets/s holds 16 KB and a busy one what it needs.
/// </summary>
internal sealed class SentPacketHistory
{
    public const int InitialCapacity = 1024;
    public const int MaxCapacity = 16384;

    private static readonly long YoungTicks = TimeSpan.TicksPerSecond;

    private struct Entry
    {
        public long SentAtTicks;
        public int Size;
        public ushort SequenceNumber;
        public bool Reported;
    }

    private Entry[] _entries = new Entry[InitialCapacity];

    public int Capacity => _entries.Length;

    public void Add(ushort sequenceNumber, int size, long sentAtTicks)
    {
        ref var entry = ref _entries[sequenceNumber & (_entries.Length - 1)];
        if (entry.SentAtTicks != 0 && !entry.Reported && entry.SequenceNumber != sequenceNumber
            && sentAtTicks - entry.SentAtTicks < YoungTicks && _entries.Length < MaxCapacity)
        {
            Grow();
            entry = ref _entries[sequenceNumber & (_entries.Length - 1)];
        }
        entry = new Entry { SentAtTicks = sentAtTicks, Size = size, SequenceNumber = sequenceNumber };
    }

    /// <summary>The packet's size and send time, once: false when unknown (never sent, overwritten) or already reported.</summary>
    public bool TryReport(ushort sequenceNumber, out int size, out long sentAtTicks)
    {
        ref var entry = ref _entries[sequenceNumber & (_entries.Length - 1)];
        size = entry.Size;
        sentAtTicks = entry.SentAtTicks;
        if (entry.SequenceNumber != sequenceNumber || entry.SentAtTicks == 0 || entry.Reported)
            return false;
        entry.Reported = true;
        return true;
    }

    private void Grow()
    {
        var entries = new Entry[_entries.Length * 2];
        foreach (var entry in _entries)
        {
            if (entry.SentAtTicks != 0)
                entries[entry.SequenceNumber & (entries.Length - 1)] = entry;
        }
        _entries = entries;
    }
}
