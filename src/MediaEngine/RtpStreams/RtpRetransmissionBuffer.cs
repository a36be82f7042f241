using MediaEngine.Rtp.Packets;

namespace MediaEngine.RtpStreams;

/// <summary>
/// Copies of the packets an outgoing stream sent, kept for retransmission on NACK, as mediasoup's
/// RTC::RtpRetransmissionBuffer: a window of consecutive sequence numbers (blank where a packet
/// was not stored) of at most a fixed number of slots and at most a maximum delay of RTP time
/// behind the newest packet. Packets whose timestamps contradict their sequence order are refused.
/// Each stored packet has a buffer from the thread's <see cref="PacketStoragePool"/>, given back when
/// the packet leaves the window: a video consumer at 100 packets/s holds about 200 of them (2 s), not
/// one per slot. Not thread-safe.
/// </summary>
public sealed class RtpRetransmissionBuffer
{
    public const int DefaultMaxItems = 2500;

    /// <summary>The largest packet stored; larger ones are not worth retransmitting whole.</summary>
    public const int DefaultMaxPacketLength = 1500;

    public static readonly TimeSpan MaxRetransmissionDelayForVideo = TimeSpan.FromMilliseconds(2000);
    public static readonly TimeSpan MaxRetransmissionDelayForAudio = TimeSpan.FromMilliseconds(1000);

    private readonly uint _maxDelayInTimestampUnits;
    private readonly Slot[] _slots;

    // The window: slot index i (from _start, wrapping) holds sequence number _oldestSeq + i.
    private int _start;
    private int _count;
    private ushort _oldestSeq;

    public RtpRetransmissionBuffer(int maxItems, TimeSpan maxRetransmissionDelay, uint clockRate, int maxPacketLength = DefaultMaxPacketLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxRetransmissionDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfZero(clockRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketLength, RtpPacket.FixedHeaderLength);
        _maxDelayInTimestampUnits = (uint)Math.Min(uint.MaxValue / 2, maxRetransmissionDelay.Ticks * clockRate / TimeSpan.TicksPerSecond);
        MaxPacketLength = maxPacketLength;
        _slots = new Slot[maxItems];
    }

    public int MaxPacketLength { get; }

    /// <summary>Bytes of packet storage held.</summary>
    public int StorageBytes => Count * MaxPacketLength;

    /// <summary>Packets stored.</summary>
    public int Count { get; private set; }

    /// <summary>Resends refused because the packet is not (or no longer) stored.</summary>
    public long ResendsUnavailable { get; private set; }

    /// <summary>Resends refused because the packet was resent less than the minimum interval ago (NACK storms).</summary>
    public long ResendsThrottled { get; private set; }

    /// <summary>
    /// Stores a copy of a packet being sent. False when it is not stored: too large, a duplicate,
    /// too old, beyond the window, or with a timestamp out of order with its neighbours.
    /// </summary>
    public bool Insert(RtpPacket packet)
    {
        if (packet.Length > MaxPacketLength)
        {
            return false;
        }

        ushort seq = packet.SequenceNumber;
        uint timestamp = packet.Timestamp;
        if (_count == 0)
        {
            return StoreAsOnly(packet);
        }

        ref Slot newest = ref SlotAt(_count - 1);
        ushort newestSeq = (ushort)(_oldestSeq + _count - 1);

        // An older sequence number with a newer timestamp: the sender must have restarted.
        if (SeqManager<ushort>.IsSeqLowerThan(seq, newestSeq) && SeqManager<uint>.IsSeqHigherThan(timestamp, newest.Timestamp))
        {
            Clear();
            return StoreAsOnly(packet);
        }

        uint newestTimestamp = SeqManager<uint>.IsSeqHigherThan(timestamp, newest.Timestamp) ? timestamp : newest.Timestamp;
        ClearTooOld(newestTimestamp);
        if (_count == 0)
        {
            return StoreAsOnly(packet);
        }

        newestSeq = (ushort)(_oldestSeq + _count - 1);
        if (SeqManager<ushort>.IsSeqHigherThan(seq, newestSeq))
        {
            return StoreAsNewest(packet, newestSeq);
        }

        if (SeqManager<ushort>.IsSeqLowerThan(seq, _oldestSeq))
        {
            return StoreAsOldest(packet);
        }

        return StoreInBetween(packet);
    }

    /// <summary>The stored copy of the packet with sequence number <paramref name="seq"/>.</summary>
    public bool TryGet(ushort seq, out ReadOnlySpan<byte> packet)
    {
        packet = default;
        int index = IndexOf(seq);
        if (index < 0)
        {
            return false;
        }

        packet = StorageAt(index)[..SlotAt(index).Length];
        return true;
    }

    /// <summary>
    /// Copies the stored packet with sequence number <paramref name="seq"/> into
    /// <paramref name="destination"/> for a retransmission at <paramref name="now"/>, unless it
    /// was resent less than <paramref name="minResendInterval"/> ago (the retransmission would
    /// still be in flight). <paramref name="isFirstResend"/> tells whether this retransmission
    /// is the first of the packet.
    /// </summary>
    public bool TryResend(
        ushort seq, TimeSpan now, TimeSpan minResendInterval, Span<byte> destination, out int length, out bool isFirstResend)
    {
        length = 0;
        isFirstResend = false;
        int index = IndexOf(seq);
        if (index < 0)
        {
            ResendsUnavailable++;
            return false;
        }

        ref Slot slot = ref SlotAt(index);
        if (slot.SentTimes > 0 && now - slot.ResentAt <= minResendInterval)
        {
            ResendsThrottled++;
            return false;
        }

        StorageAt(index)[..slot.Length].CopyTo(destination);
        slot.ResentAt = now;
        slot.SentTimes++;
        length = slot.Length;
        isFirstResend = slot.SentTimes == 1;
        return true;
    }

    /// <summary>Forgets every packet, giving their storage back.</summary>
    public void Clear()
    {
        for (int index = 0; index < _count; index++)
        {
            Release(ref SlotAt(index));
        }

        _start = 0;
        _count = 0;
        Count = 0;
    }

    private bool StoreAsOnly(RtpPacket packet)
    {
        _start = 0;
        _count = 1;
        _oldestSeq = packet.SequenceNumber;
        Store(0, packet);
        return true;
    }

    private bool StoreAsNewest(RtpPacket packet, ushort newestSeq)
    {
        if (SeqManager<uint>.IsSeqLowerThan(packet.Timestamp, SlotAt(_count - 1).Timestamp))
        {
            return false;
        }

        int blankSlots = (ushort)(packet.SequenceNumber - newestSeq - 1);
        int excess = _count + blankSlots + 1 - _slots.Length;
        if (excess > _count - 1)
        {
            Clear();
            return StoreAsOnly(packet);
        }

        int targetCount = _count - Math.Max(0, excess);
        while (_count > targetCount)
        {
            RemoveOldest();
        }

        for (int blank = 0; blank < blankSlots; blank++)
        {
            SlotAt(_count++) = default;
        }

        Store(_count++, packet);
        return true;
    }

    private bool StoreAsOldest(RtpPacket packet)
    {
        uint timestamp = packet.Timestamp;
        uint newestTimestamp = SlotAt(_count - 1).Timestamp;
        if (IsTooOld(timestamp, newestTimestamp) || SeqManager<uint>.IsSeqHigherThan(timestamp, SlotAt(0).Timestamp))
        {
            return false;
        }

        int added = (ushort)(_oldestSeq - packet.SequenceNumber);
        if (_count + added > _slots.Length)
        {
            return false;
        }

        _start = (_start - added + _slots.Length) % _slots.Length;
        _count += added;
        _oldestSeq = packet.SequenceNumber;
        for (int blank = 1; blank < added; blank++)
        {
            SlotAt(blank) = default;
        }

        Store(0, packet);
        return true;
    }

    private bool StoreInBetween(RtpPacket packet)
    {
        int index = (ushort)(packet.SequenceNumber - _oldestSeq);
        if (SlotAt(index).Length != 0)
        {
            return false;
        }

        uint timestamp = packet.Timestamp;
        for (int older = index - 1; older >= 0; older--)
        {
            ref Slot slot = ref SlotAt(older);
            if (slot.Length != 0)
            {
                if (SeqManager<uint>.IsSeqLowerThan(timestamp, slot.Timestamp))
                {
                    return false;
                }

                break;
            }
        }

        for (int newer = index + 1; newer < _count; newer++)
        {
            ref Slot slot = ref SlotAt(newer);
            if (slot.Length != 0)
            {
                if (SeqManager<uint>.IsSeqHigherThan(timestamp, slot.Timestamp))
                {
                    return false;
                }

                break;
            }
        }

        Store(index, packet);
        return true;
    }

    private void Store(int index, RtpPacket packet)
    {
        var buffer = PacketStoragePool.Rent(MaxPacketLength);
        packet.Data.CopyTo(buffer);
        SlotAt(index) = new Slot { Buffer = buffer, Length = packet.Length, Timestamp = packet.Timestamp };
        Count++;
    }

    private static void Release(ref Slot slot)
    {
        if (slot.Buffer is { } buffer)
        {
            PacketStoragePool.Return(buffer);
        }

        slot = default;
    }

    private void ClearTooOld(uint newestTimestamp)
    {
        while (_count > 0 && IsTooOld(SlotAt(0).Timestamp, newestTimestamp))
        {
            RemoveOldest();
        }
    }

    private bool IsTooOld(uint timestamp, uint newestTimestamp) =>
        !SeqManager<uint>.IsSeqHigherThan(timestamp, newestTimestamp) && newestTimestamp - timestamp > _maxDelayInTimestampUnits;

    // Removes the oldest packet and the blank slots after it, so the window starts with a packet.
    private void RemoveOldest()
    {
        Count--;
        do
        {
            Release(ref SlotAt(0));
            _start = (_start + 1) % _slots.Length;
            _oldestSeq++;
            _count--;
        }
        while (_count > 0 && SlotAt(0).Length == 0);
    }

    private int IndexOf(ushort seq)
    {
        if (_count == 0 || SeqManager<ushort>.IsSeqLowerThan(seq, _oldestSeq))
        {
            return -1;
        }

        int index = (ushort)(seq - _oldestSeq);
        return index < _count && SlotAt(index).Length != 0 ? index : -1;
    }

    private ref Slot SlotAt(int index) => ref _slots[(_start + index) % _slots.Length];

    private Span<byte> StorageAt(int index) => SlotAt(index).Buffer;

    private struct Slot
    {
        public byte[]? Buffer;
        public int Length;
        public uint Timestamp;
        public TimeSpan ResentAt;
        public int SentTimes;
    }
}
