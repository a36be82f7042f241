namespace MediaEngine.RtpStreams;

/// <summary>
/// Decides which missing packets of an incoming stream to NACK, and when, as mediasoup's
/// RTC::NackGenerator: a gap in the sequence numbers adds the missing ones to a bounded list and
/// NACKs them at once; <see cref="HandleTimeout"/> NACKs them again once an RTT has passed, up to
/// <see cref="MaxNackRetries"/> times; packets that arrive late or via RTX leave the list. When the
/// list would overflow, entries older than the latest key frame go first; failing that the list is
/// cleared and a key frame requested. After every call, <see cref="NacksToSend"/> and
/// <see cref="IsKeyFrameRequired"/> tell what to send. Allocates only in the constructor. Not thread-safe.
/// </summary>
public sealed class NackGenerator
{
    public const int MaxNackPackets = 1000;
    public const int MaxNackRetries = 10;

    private const int MaxPacketAge = 10_000;
    private const int MaxKeyFrames = 128;
    private const int MaxRecoveredPackets = 64;
    private static readonly TimeSpan DefaultRtt = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan TimerInterval = TimeSpan.FromMilliseconds(40);

    private readonly TimeSpan _sendNackDelay;

    // Missing packets in ascending sequence order; removed ones stay as tombstones until trimmed.
    private readonly NackInfo[] _nackList = new NackInfo[MaxNackPackets];
    private int _nackStart;
    private int _nackSlots;
    private int _nackCount;

    private readonly SequenceRing _keyFrames = new(MaxKeyFrames);
    private readonly SequenceRing _recovered = new(MaxRecoveredPackets);
    private readonly ushort[] _nacksToSend = new ushort[MaxNackPackets];
    private int _nacksToSendCount;
    private bool _started;
    private ushort _lastSeq;
    private TimeSpan? _timerDeadline;

    /// <param name="sendNackDelay">How long a missing packet waits before its first NACK, for networks that reorder.</param>
    public NackGenerator(TimeSpan sendNackDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sendNackDelay, TimeSpan.Zero);
        _sendNackDelay = sendNackDelay;
    }

    /// <summary>Round-trip time to the sender; NACKs for a packet are repeated no sooner. Zero for the 100 ms default.</summary>
    public TimeSpan Rtt { get; set; }

    /// <summary>Packets currently considered missing.</summary>
    public int NackListLength => _nackCount;

    /// <summary>Sequence numbers to NACK, in ascending order, from the last call; valid until the next one.</summary>
    public ReadOnlySpan<ushort> NacksToSend => _nacksToSend.AsSpan(0, _nacksToSendCount);

    /// <summary>Whether the last call gave up on the missing packets and a key frame must be requested.</summary>
    public bool IsKeyFrameRequired { get; private set; }

    /// <summary>When <see cref="HandleTimeout"/> must next be called, or null while nothing is missing.</summary>
    public TimeSpan? NextTimeout => _nackCount > 0 ? _timerDeadline : null;

    /// <summary>
    /// Accounts for a packet of the stream, <paramref name="isRecovered"/> when it came via RTX.
    /// True when it is a missing packet that had been NACKed, i.e. a repair.
    /// </summary>
    public bool ReceivePacket(ushort seq, bool isKeyFrame, bool isRecovered, TimeSpan now)
    {
        _nacksToSendCount = 0;
        IsKeyFrameRequired = false;
        if (!_started)
        {
            _started = true;
            _lastSeq = seq;
            if (isKeyFrame)
            {
                _keyFrames.Add(seq);
            }

            return false;
        }

        if (seq == _lastSeq)
        {
            return false;
        }

        if (SeqManager<ushort>.IsSeqLowerThan(seq, _lastSeq))
        {
            int index = FindNackInfo(seq);
            if (index < 0)
            {
                return false;
            }

            bool wasNacked = NackInfoAt(index).Retries != 0;
            RemoveNackInfo(index);
            return wasNacked;
        }

        if (isKeyFrame)
        {
            _keyFrames.Add(seq);
        }

        _keyFrames.RemoveOlderThan((ushort)(seq - MaxPacketAge));
        if (isRecovered)
        {
            // A packet newer than any seen came via RTX: it must not be NACKed once the gap before it shows.
            _recovered.Add(seq);
            _recovered.RemoveOlderThan((ushort)(seq - MaxPacketAge));
            return false;
        }

        AddPacketsToNackList((ushort)(_lastSeq + 1), seq, now);
        _lastSeq = seq;
        FillNacksToSend(retransmitOnTimer: false, now);
        if (_nackCount == 0)
        {
            _timerDeadline = null;
        }
        else
        {
            _timerDeadline ??= now + TimerInterval;
        }

        return false;
    }

    /// <summary>NACKs again the packets whose last NACK is older than an RTT, when the timer is due.</summary>
    public void HandleTimeout(TimeSpan now)
    {
        _nacksToSendCount = 0;
        IsKeyFrameRequired = false;
        if (_timerDeadline is not { } deadline || now < deadline)
        {
            return;
        }

        FillNacksToSend(retransmitOnTimer: true, now);
        _timerDeadline = _nackCount > 0 ? now + TimerInterval : null;
    }

    /// <summary>Forgets everything, as for a paused stream; the next packet starts afresh.</summary>
    public void Reset()
    {
        _nackStart = 0;
        _nackSlots = 0;
        _nackCount = 0;
        _keyFrames.Clear();
        _recovered.Clear();
        _nacksToSendCount = 0;
        IsKeyFrameRequired = false;
        _started = false;
        _lastSeq = 0;
        _timerDeadline = null;
    }

    private void AddPacketsToNackList(ushort seqStart, ushort seqEnd, TimeSpan now)
    {
        while (_nackSlots > 0 && (ushort)(seqEnd - NackInfoAt(0).Seq) > MaxPacketAge)
        {
            RemoveOldestSlot();
        }

        int newNacks = (ushort)(seqEnd - seqStart);
        if (_nackCount + newNacks > MaxNackPackets)
        {
            while (RemoveNackInfosBeforeOldestKeyFrame() && _nackCount + newNacks > MaxNackPackets)
            {
            }

            if (_nackCount + newNacks > MaxNackPackets)
            {
                _nackStart = 0;
                _nackSlots = 0;
                _nackCount = 0;
                IsKeyFrameRequired = true;
                return;
            }
        }

        if (_nackSlots + newNacks > _nackList.Length)
        {
            CompactNackList();
        }

        for (ushort seq = seqStart; seq != seqEnd; seq++)
        {
            if (_recovered.Contains(seq))
            {
                continue;
            }

            ref NackInfo info = ref _nackList[(_nackStart + _nackSlots) % _nackList.Length];
            info = new NackInfo { Seq = seq, SendAtSeq = seq, CreatedAt = now };
            _nackSlots++;
            _nackCount++;
        }
    }

    private bool RemoveNackInfosBeforeOldestKeyFrame()
    {
        while (_keyFrames.Count > 0)
        {
            ushort keyFrame = _keyFrames.Oldest;
            int countBefore = _nackCount;
            while (_nackSlots > 0 && SeqManager<ushort>.IsSeqLowerThan(NackInfoAt(0).Seq, keyFrame))
            {
                RemoveOldestSlot();
            }

            if (_nackCount < countBefore)
            {
                return true;
            }

            _keyFrames.RemoveOldest();
        }

        return false;
    }

    private void FillNacksToSend(bool retransmitOnTimer, TimeSpan now)
    {
        TimeSpan rtt = Rtt > TimeSpan.Zero ? Rtt : DefaultRtt;
        for (int index = 0; index < _nackSlots; index++)
        {
            ref NackInfo info = ref NackInfoAt(index);
            if (info.IsRemoved || (_sendNackDelay > TimeSpan.Zero && now - info.CreatedAt < _sendNackDelay))
            {
                continue;
            }

            bool due = retransmitOnTimer
                ? info.Retries == 0 || now - info.SentAt >= rtt
                : info.Retries == 0 && !SeqManager<ushort>.IsSeqLowerThan(_lastSeq, info.SendAtSeq);
            if (!due)
            {
                continue;
            }

            _nacksToSend[_nacksToSendCount++] = info.Seq;
            info.Retries++;
            info.SentAt = now;
            if (info.Retries >= MaxNackRetries)
            {
                info.IsRemoved = true;
                _nackCount--;
            }
        }

        TrimRemovedSlots();
    }

    // Binary search keyed on the distance behind the last sequence number, which every entry precedes.
    private int FindNackInfo(ushort seq)
    {
        int distance = (ushort)(_lastSeq - seq);
        int low = 0;
        int high = _nackSlots - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            ref NackInfo info = ref NackInfoAt(middle);
            int middleDistance = (ushort)(_lastSeq - info.Seq);
            if (middleDistance == distance)
            {
                return info.IsRemoved ? -1 : middle;
            }

            if (middleDistance > distance)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    private ref NackInfo NackInfoAt(int index) => ref _nackList[(_nackStart + index) % _nackList.Length];

    private void RemoveNackInfo(int index)
    {
        NackInfoAt(index).IsRemoved = true;
        _nackCount--;
        TrimRemovedSlots();
        if (_nackCount == 0)
        {
            _timerDeadline = null;
        }
    }

    private void RemoveOldestSlot()
    {
        if (!NackInfoAt(0).IsRemoved)
        {
            _nackCount--;
        }

        _nackStart = (_nackStart + 1) % _nackList.Length;
        _nackSlots--;
        TrimRemovedSlots();
    }

    private void TrimRemovedSlots()
    {
        while (_nackSlots > 0 && NackInfoAt(0).IsRemoved)
        {
            _nackStart = (_nackStart + 1) % _nackList.Length;
            _nackSlots--;
        }

        while (_nackSlots > 0 && NackInfoAt(_nackSlots - 1).IsRemoved)
        {
            _nackSlots--;
        }
    }

    private void CompactNackList()
    {
        int kept = 0;
        for (int index = 0; index < _nackSlots; index++)
        {
            NackInfo info = NackInfoAt(index);
            if (!info.IsRemoved)
            {
                NackInfoAt(kept++) = info;
            }
        }

        _nackSlots = kept;
    }

    private struct NackInfo
    {
        public ushort Seq;
        public ushort SendAtSeq;
        public TimeSpan CreatedAt;
        public TimeSpan SentAt;
        public byte Retries;
        public bool IsRemoved;
    }

    /// <summary>Sequence numbers added in ascending order; the oldest is forgotten when full.</summary>
    private sealed class SequenceRing(int capacity)
    {
        private readonly ushort[] _values = new ushort[capacity];
        private int _start;

        public int Count { get; private set; }

        public ushort Oldest => _values[_start];

        public void Add(ushort value)
        {
            if (Count == _values.Length)
            {
                RemoveOldest();
            }

            _values[(_start + Count) % _values.Length] = value;
            Count++;
        }

        public void RemoveOldest()
        {
            _start = (_start + 1) % _values.Length;
            Count--;
        }

        public void RemoveOlderThan(ushort limit)
        {
            while (Count > 0 && SeqManager<ushort>.IsSeqLowerThan(Oldest, limit))
            {
                RemoveOldest();
            }
        }

        public bool Contains(ushort value)
        {
            for (int index = 0; index < Count; index++)
            {
                if (_values[(_start + index) % _values.Length] == value)
                {
                    return true;
                }
            }

            return false;
        }

        public void Clear()
        {
            _start = 0;
            Count = 0;
        }
    }
}
