using System.Numerics;

namespace MediaEngine.Sctp;

/// <summary>
/// Receive side bookkeeping of TSNs (RFC 9260 §6.2): the cumulative TSN, which later TSNs arrived
/// (a bitmap over the next 65,536, so gap ack offsets always fit 16 bits), duplicates to report,
/// and the SACK built from them.
/// </summary>
internal sealed class SctpDataTracker
{
    /// <summary>TSNs further than this past the cumulative TSN are refused.</summary>
    public const int Window = 65536;

    private const int MaxDuplicatesReported = 16;
    private const int MaxGapAckBlocks = 64;

    private readonly ulong[] _received = new ulong[Window / 64];
    private readonly uint[] _duplicates = new uint[MaxDuplicatesReported];
    private int _duplicateCount;
    private uint _highest;

    public SctpDataTracker(uint peerInitialTsn)
    {
        CumulativeTsn = peerInitialTsn - 1;
        _highest = CumulativeTsn;
    }

    public uint CumulativeTsn { get; private set; }

    public bool HasGaps => _highest != CumulativeTsn;

    public static int MaxSackLength => SctpSackChunk.LengthFor(MaxGapAckBlocks, MaxDuplicatesReported);

    public bool IsDuplicate(uint tsn) => !SctpSerialNumber.IsNewer(tsn, CumulativeTsn) || (tsn - CumulativeTsn < Window && IsMarked(tsn));

    public bool IsWithinWindow(uint tsn) => tsn - CumulativeTsn < Window;

    public void RecordDuplicate(uint tsn)
    {
        if (_duplicateCount < MaxDuplicatesReported)
        {
            _duplicates[_duplicateCount++] = tsn;
        }
    }

    /// <summary>Records a TSN that <see cref="IsDuplicate"/> and <see cref="IsWithinWindow"/> accepted.</summary>
    public void MarkReceived(uint tsn)
    {
        _received[(tsn & 0xFFFF) >> 6] |= 1UL << (int)(tsn & 63);
        if (SctpSerialNumber.IsNewer(tsn, _highest))
        {
            _highest = tsn;
        }

        AdvanceCumulative();
    }

    /// <summary>Moves the cumulative TSN to <paramref name="newCumulativeTsn"/> as a FORWARD-TSN says (RFC 3758 §3.6).</summary>
    public void ForwardTo(uint newCumulativeTsn)
    {
        if (!SctpSerialNumber.IsNewer(newCumulativeTsn, CumulativeTsn))
        {
            return;
        }

        if (newCumulativeTsn - CumulativeTsn >= Window)
        {
            Array.Clear(_received);
        }
        else
        {
            for (uint tsn = CumulativeTsn + 1; tsn != newCumulativeTsn + 1; tsn++)
            {
                Unmark(tsn);
            }
        }

        CumulativeTsn = newCumulativeTsn;
        if (SctpSerialNumber.IsNewer(newCumulativeTsn, _highest))
        {
            _highest = newCumulativeTsn;
        }

        AdvanceCumulative();
    }

    /// <summary>Writes a SACK of everything received so far and forgets the reported duplicates.</summary>
    public int WriteSack(Span<byte> destination, uint advertisedReceiverWindow)
    {
        Span<SctpGapAckBlock> blocks = stackalloc SctpGapAckBlock[MaxGapAckBlocks];
        int blockCount = 0;
        uint tsn = CumulativeTsn + 1;
        while (blockCount < MaxGapAckBlocks && SctpSerialNumber.IsNewerOrEqual(_highest, tsn))
        {
            while (!IsMarked(tsn))
            {
                tsn++;
            }

            uint start = tsn;
            while (tsn != _highest + 1 && IsMarked(tsn))
            {
                tsn++;
            }

            blocks[blockCount++] = new SctpGapAckBlock((ushort)(start - CumulativeTsn), (ushort)(tsn - 1 - CumulativeTsn));
        }

        int length = SctpSackChunk.Write(
            destination, CumulativeTsn, advertisedReceiverWindow, blocks[..blockCount], _duplicates.AsSpan(0, _duplicateCount));
        _duplicateCount = 0;
        return length;
    }

    private bool IsMarked(uint tsn) => (_received[(tsn & 0xFFFF) >> 6] & (1UL << (int)(tsn & 63))) != 0;

    private void Unmark(uint tsn) => _received[(tsn & 0xFFFF) >> 6] &= ~(1UL << (int)(tsn & 63));

    private void AdvanceCumulative()
    {
        while (true)
        {
            uint next = CumulativeTsn + 1;
            int word = (int)((next & 0xFFFF) >> 6);
            int bit = (int)(next & 63);
            ulong run = ~(_received[word] >> bit);
            int marked = run == 0 ? 64 - bit : Math.Min(BitOperations.TrailingZeroCount(run), 64 - bit);
            if (marked == 0)
            {
                break;
            }

            _received[word] &= ~(marked == 64 ? ulong.MaxValue : ((1UL << marked) - 1) << bit);
            CumulativeTsn += (uint)marked;
        }

        if (SctpSerialNumber.IsNewer(CumulativeTsn, _highest))
        {
            _highest = CumulativeTsn;
        }
    }
}
