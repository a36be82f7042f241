using System.Runtime.InteropServices;

namespace MediaEngine.Sctp;

/// <summary>
/// DATA chunks sent and not yet covered by the peer's cumulative TSN ack, in TSN order in a ring.
/// Applies SACKs (RFC 9260 §6.2.1), counts miss indications for fast retransmit (§7.2.4), marks
/// everything for retransmission on T3 expiry (§6.3.3), abandons messages past their partial
/// reliability limits and keeps the Advanced.Peer.Ack.Point for FORWARD-TSN (RFC 3758 §3.5).
/// Gap-acked chunks are taken as delivered: WebRTC stacks do not renege.
/// </summary>
internal sealed class SctpRetransmissionQueue
{
    private const int FastRetransmitThreshold = 3;

    private readonly SctpBufferedAmount _bufferedAmount;
    private readonly SctpCongestionControl _congestion;
    private readonly SctpRetransmissionTimeout _rto;
    private readonly SctpCounters _counters;
    private readonly bool _partialReliability;
    private readonly List<SctpForwardTsnStream> _forwardTsnStreams = [];
    private Entry[] _entries = new Entry[64];
    private int _head;
    private int _count;
    private uint _firstTsn;
    private int _retransmissionsPending;
    private uint _advancedPeerAckPoint;

    public SctpRetransmissionQueue(
        uint initialTsn, SctpBufferedAmount bufferedAmount, SctpCongestionControl congestion, SctpRetransmissionTimeout rto,
        SctpCounters counters, bool partialReliability, uint peerReceiveWindow)
    {
        _firstTsn = initialTsn;
        _advancedPeerAckPoint = initialTsn - 1;
        _bufferedAmount = bufferedAmount;
        _congestion = congestion;
        _rto = rto;
        _counters = counters;
        _partialReliability = partialReliability;
        PeerReceiveWindow = peerReceiveWindow;
    }

    public uint NextTsn => _firstTsn + (uint)_count;

    public uint CumulativeTsnAck => _firstTsn - 1;

    /// <summary>Bytes sent and neither acknowledged, abandoned nor waiting for retransmission.</summary>
    public int FlightSize { get; private set; }

    public long PeerReceiveWindow { get; private set; }

    public bool IsEmpty => _count == 0;

    public bool HasRetransmissions => _retransmissionsPending > 0;

    /// <summary>The highest TSN the peer may consider received: the cumulative ack and the abandoned chunks right after it.</summary>
    public uint AdvancedPeerAckPoint => _advancedPeerAckPoint;

    /// <summary>Abandoned chunks sit above the cumulative ack: a FORWARD-TSN must move the peer past them.</summary>
    public bool NeedsForwardTsn => SctpSerialNumber.IsNewer(_advancedPeerAckPoint, CumulativeTsnAck);

    /// <summary>Whether the timer T3 must run: data in flight, to retransmit or to forward past.</summary>
    public bool NeedsRetransmissionTimer => FlightSize > 0 || HasRetransmissions || NeedsForwardTsn;

    /// <summary>
    /// Whether a new chunk of <paramref name="length"/> bytes may go out: within the congestion
    /// window and the peer's window, except one chunk probing a zero window (RFC 9260 §6.1 A).
    /// </summary>
    public bool CanSendNew(int length) => FlightSize < _congestion.Window && (PeerReceiveWindow >= length || FlightSize == 0);

    public SctpDataFragment Add(SctpOutgoingMessage message, int offset, int length, SctpDataChunkFlags flags, TimeSpan now)
    {
        if (_count == _entries.Length)
        {
            Grow();
        }

        uint tsn = NextTsn;
        _entries[(_head + _count) & (_entries.Length - 1)] = new Entry
        {
            Message = message,
            Offset = offset,
            Length = length,
            Flags = flags,
            SentAt = now,
            Transmissions = 1,
            State = EntryState.InFlight,
        };
        _count++;
        FlightSize += length;
        PeerReceiveWindow -= length;
        return new SctpDataFragment(message, tsn, offset, length, flags);
    }

    /// <summary>
    /// The oldest chunk marked for retransmission that fits <paramref name="maxLength"/> bytes of
    /// DATA chunk, if the congestion window allows; abandons those past their limits on the way.
    /// </summary>
    public bool TryTakeRetransmission(int maxLength, TimeSpan now, out SctpDataFragment fragment)
    {
        fragment = default;
        for (int index = 0; index < _count && _retransmissionsPending > 0 && FlightSize < _congestion.Window; index++)
        {
            ref var entry = ref EntryAt(index);
            if (entry.State != EntryState.ToRetransmit)
            {
                continue;
            }

            if (_partialReliability && entry.Message.ShouldAbandon(entry.Transmissions, now))
            {
                Abandon(entry.Message);
                continue;
            }

            if (SctpDataChunk.HeaderLength + entry.Length > maxLength)
            {
                return false;
            }

            entry.State = EntryState.InFlight;
            entry.Transmissions++;
            entry.SentAt = now;
            entry.MissingReports = 0;
            _retransmissionsPending--;
            FlightSize += entry.Length;
            PeerReceiveWindow -= entry.Length;
            _counters.Retransmissions++;
            fragment = new SctpDataFragment(entry.Message, _firstTsn + (uint)index, entry.Offset, entry.Length, entry.Flags);
            return true;
        }

        return false;
    }

    /// <summary>Applies a SACK; false when it is older than one already applied or acknowledges TSNs never sent.</summary>
    public bool HandleSack(SctpSackChunk sack, TimeSpan now, out bool cumulativeAckAdvanced)
    {
        cumulativeAckAdvanced = false;
        uint cumulativeTsnAck = sack.CumulativeTsnAck;
        if (SctpSerialNumber.IsNewer(CumulativeTsnAck, cumulativeTsnAck) || SctpSerialNumber.IsNewerOrEqual(cumulativeTsnAck, NextTsn))
        {
            return false;
        }

        int flightSizeBefore = FlightSize;
        int bytesAcked = 0;
        TimeSpan? rtt = null;
        cumulativeAckAdvanced = SctpSerialNumber.IsNewer(cumulativeTsnAck, CumulativeTsnAck);
        while (_count > 0 && SctpSerialNumber.IsNewerOrEqual(cumulativeTsnAck, _firstTsn))
        {
            ref var entry = ref _entries[_head];
            if (entry.Transmissions == 1 && entry.State == EntryState.InFlight)
            {
                rtt = now - entry.SentAt;
            }

            bytesAcked += Acknowledge(ref entry);
            entry = default;
            _head = (_head + 1) & (_entries.Length - 1);
            _count--;
            _firstTsn++;
        }

        uint highestNewlyAcked = cumulativeTsnAck;
        for (int block = 0; block < sack.GapAckBlockCount; block++)
        {
            var gap = sack.GetGapAckBlock(block);
            if (gap.Start == 0 || gap.Start > gap.End)
            {
                continue;
            }

            int first = gap.Start - 1;
            int last = Math.Min(gap.End - 1, _count - 1);
            for (int index = first; index <= last; index++)
            {
                ref var entry = ref EntryAt(index);
                if (entry.State is EntryState.InFlight or EntryState.ToRetransmit)
                {
                    if (entry.Transmissions == 1 && entry.State == EntryState.InFlight)
                    {
                        rtt = now - entry.SentAt;
                    }

                    bytesAcked += Acknowledge(ref entry);
                    entry.State = EntryState.Acked;
                    uint tsn = _firstTsn + (uint)index;
                    if (SctpSerialNumber.IsNewer(tsn, highestNewlyAcked))
                    {
                        highestNewlyAcked = tsn;
                    }
                }
            }
        }

        CountMissingReports(highestNewlyAcked, now);
        if (cumulativeAckAdvanced)
        {
            _congestion.OnCumulativeAckAdvanced(cumulativeTsnAck, bytesAcked, flightSizeBefore);
        }

        PeerReceiveWindow = Math.Max(0, (long)sack.AdvertisedReceiverWindow - FlightSize);
        if (rtt is { } measured)
        {
            _rto.Measure(measured);
        }

        UpdateAdvancedPeerAckPoint();
        return true;
    }

    /// <summary>The cumulative TSN ack of a SHUTDOWN, a SACK without gaps nor window (RFC 9260 §9.2).</summary>
    public void HandleCumulativeAck(uint cumulativeTsnAck)
    {
        if (SctpSerialNumber.IsNewer(CumulativeTsnAck, cumulativeTsnAck) || SctpSerialNumber.IsNewerOrEqual(cumulativeTsnAck, NextTsn))
        {
            return;
        }

        while (_count > 0 && SctpSerialNumber.IsNewerOrEqual(cumulativeTsnAck, _firstTsn))
        {
            ref var entry = ref _entries[_head];
            Acknowledge(ref entry);
            entry = default;
            _head = (_head + 1) & (_entries.Length - 1);
            _count--;
            _firstTsn++;
        }

        UpdateAdvancedPeerAckPoint();
    }

    /// <summary>T3-rtx expired (RFC 9260 §6.3.3): every chunk in flight is to be sent again or abandoned.</summary>
    public void HandleRetransmissionTimeout(TimeSpan now)
    {
        for (int index = 0; index < _count; index++)
        {
            ref var entry = ref EntryAt(index);
            if (entry.State != EntryState.InFlight)
            {
                continue;
            }

            if (_partialReliability && entry.Message.ShouldAbandon(entry.Transmissions, now))
            {
                Abandon(entry.Message);
                continue;
            }

            MarkForRetransmission(ref entry);
        }

        _congestion.OnRetransmissionTimeout();
        _rto.BackOff();
        _counters.RetransmissionTimeouts++;
        UpdateAdvancedPeerAckPoint();
    }

    /// <summary>Length of the FORWARD-TSN <see cref="WriteForwardTsn"/> writes, at most <paramref name="maxLength"/>.</summary>
    public int PrepareForwardTsn(int maxLength)
    {
        _forwardTsnStreams.Clear();
        int maxStreams = (maxLength - SctpForwardTsnChunk.LengthFor(0)) / 4;
        for (uint tsn = _firstTsn; tsn != _advancedPeerAckPoint + 1; tsn++)
        {
            ref var entry = ref EntryAt((int)(tsn - _firstTsn));
            if (entry.Message.Unordered)
            {
                continue;
            }

            var skipped = new SctpForwardTsnStream(entry.Message.StreamId, entry.Message.Ssn);
            int existing = 0;
            while (existing < _forwardTsnStreams.Count && _forwardTsnStreams[existing].StreamId != skipped.StreamId)
            {
                existing++;
            }

            if (existing < _forwardTsnStreams.Count)
            {
                _forwardTsnStreams[existing] = skipped;
            }
            else if (existing < maxStreams)
            {
                _forwardTsnStreams.Add(skipped);
            }
        }

        return SctpForwardTsnChunk.LengthFor(_forwardTsnStreams.Count);
    }

    public int WriteForwardTsn(Span<byte> destination) =>
        SctpForwardTsnChunk.Write(destination, _advancedPeerAckPoint, CollectionsMarshal.AsSpan(_forwardTsnStreams));

    /// <summary>Gives up a message: its chunks leave the flight and its bytes the send buffer (RFC 3758 §3.5).</summary>
    public void Abandon(SctpOutgoingMessage message)
    {
        if (message.IsAbandoned)
        {
            return;
        }

        message.IsAbandoned = true;
        _counters.AbandonedMessages++;
        for (int fragment = 0; fragment < message.FragmentsSent; fragment++)
        {
            uint offset = message.FirstTsn + (uint)fragment - _firstTsn;
            if (offset >= (uint)_count)
            {
                continue;
            }

            ref var entry = ref EntryAt((int)offset);
            switch (entry.State)
            {
                case EntryState.InFlight:
                    FlightSize -= entry.Length;
                    _bufferedAmount.Release(entry.Length);
                    break;
                case EntryState.ToRetransmit:
                    _retransmissionsPending--;
                    _bufferedAmount.Release(entry.Length);
                    break;
            }

            entry.State = EntryState.Abandoned;
        }

        _bufferedAmount.Release(message.Payload.Length - message.FragmentedBytes);
        UpdateAdvancedPeerAckPoint();
    }

    private void CountMissingReports(uint highestNewlyAcked, TimeSpan now)
    {
        int fastRetransmits = 0;
        int end = (int)(highestNewlyAcked - _firstTsn);
        for (int index = 0; index < end && index < _count; index++)
        {
            ref var entry = ref EntryAt(index);
            if (entry.State != EntryState.InFlight || entry.FastRetransmitted || ++entry.MissingReports < FastRetransmitThreshold)
            {
                continue;
            }

            if (_partialReliability && entry.Message.ShouldAbandon(entry.Transmissions, now))
            {
                Abandon(entry.Message);
                continue;
            }

            entry.FastRetransmitted = true;
            MarkForRetransmission(ref entry);
            fastRetransmits++;
        }

        if (fastRetransmits > 0)
        {
            _counters.FastRetransmits += fastRetransmits;
            _congestion.OnFastRetransmit(NextTsn - 1);
        }
    }

    private void MarkForRetransmission(ref Entry entry)
    {
        entry.State = EntryState.ToRetransmit;
        FlightSize -= entry.Length;
        _retransmissionsPending++;
    }

    private int Acknowledge(ref Entry entry)
    {
        switch (entry.State)
        {
            case EntryState.InFlight:
                FlightSize -= entry.Length;
                _bufferedAmount.Release(entry.Length);
                return entry.Length;
            case EntryState.ToRetransmit:
                _retransmissionsPending--;
                _bufferedAmount.Release(entry.Length);
                return entry.Length;
            default:
                return 0;
        }
    }

    private void UpdateAdvancedPeerAckPoint()
    {
        if (SctpSerialNumber.IsNewer(CumulativeTsnAck, _advancedPeerAckPoint))
        {
            _advancedPeerAckPoint = CumulativeTsnAck;
        }

        while (true)
        {
            uint offset = _advancedPeerAckPoint + 1 - _firstTsn;
            if (offset >= (uint)_count || EntryAt((int)offset).State != EntryState.Abandoned)
            {
                return;
            }

            _advancedPeerAckPoint++;
        }
    }

    private ref Entry EntryAt(int index) => ref _entries[(_head + index) & (_entries.Length - 1)];

    private void Grow()
    {
        var entries = new Entry[_entries.Length * 2];
        for (int index = 0; index < _count; index++)
        {
            entries[index] = EntryAt(index);
        }

        _entries = entries;
        _head = 0;
    }

    private enum EntryState : byte
    {
        InFlight,
        ToRetransmit,
        Acked,
        Abandoned,
    }

    private struct Entry
    {
        public SctpOutgoingMessage Message;
        public int Offset;
        public int Length;
        public SctpDataChunkFlags Flags;
        public TimeSpan SentAt;
        public int Transmissions;
        public int MissingReports;
        public EntryState State;
        public bool FastRetransmitted;
    }
}
