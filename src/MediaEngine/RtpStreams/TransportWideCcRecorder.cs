namespace MediaEngine.RtpStreams;

/// <summary>
/// Receiver side of transport-wide congestion control, as the transport-cc part of mediasoup's
/// RTC::TransportCongestionControlServer: records the arrival time of every incoming packet by
/// its transport-wide sequence number and turns them into feedback (base sequence number,
/// reference time, a status per packet, receive deltas) the way libwebrtc quantizes them. A
/// feedback is due every <see cref="FeedbackInterval"/> or once <see cref="FeedbackPacketThreshold"/>
/// packets wait. A packet arriving after being reported lost restarts the next feedback from it.
/// The last <see cref="MaxPacketStatusCount"/> sequence numbers are remembered. Allocates only in
/// the constructor. Not thread-safe.
/// </summary>
public sealed class TransportWideCcRecorder
{
    public const int FeedbackPacketThreshold = 100;

    /// <summary>Sequence numbers remembered, and so the most one feedback can describe.</summary>
    public const int MaxPacketStatusCount = 4096;

    /// <summary>
    /// Bound on the encoded RTCP packet (headers, two-bit status vector chunks, deltas, padding),
    /// which keeps it within a datagram; the whole window of lost packets still fits with one received.
    /// </summary>
    public const int MaxFeedbackLength = 1200;

    public static readonly TimeSpan FeedbackInterval = TimeSpan.FromMilliseconds(100);

    private const int FixedFeedbackLength = 20;
    private const int StatusesPerVectorChunk = 7;
    private const int ChunkLength = 2;
    private const long ReferenceTimeUnitMicroseconds = 64_000;
    private const int ReferenceTimeMask = 0xFFFFFF;
    private const long DeltaUnitMicroseconds = 250;
    private const long NotRecorded = long.MinValue;

    // Indexed by the unwrapped sequence number modulo the window.
    private readonly long[] _sequenceNumbers = new long[MaxPacketStatusCount];
    private readonly long[] _arrivalMicroseconds = new long[MaxPacketStatusCount];

    private bool _started;
    private long _highestSequenceNumber;
    private long _nextToReport;
    private int _pendingPackets;
    private byte _feedbackPacketCount;
    private TimeSpan _nextFeedbackTime;

    public TransportWideCcRecorder()
    {
        Array.Fill(_sequenceNumbers, NotRecorded);
    }

    /// <summary>Received packets not yet reported, roughly: re-reports after a late arrival count once.</summary>
    public int PendingPackets => _pendingPackets;

    /// <summary>When a feedback is next due for time's sake, or null while nothing waits.</summary>
    public TimeSpan? NextFeedbackTime => _pendingPackets > 0 ? _nextFeedbackTime : null;

    /// <summary>
    /// Records the arrival of the packet carrying <paramref name="transportSequenceNumber"/>;
    /// duplicates keep the first arrival. True when enough packets wait for a feedback to be due now.
    /// </summary>
    public bool RecordPacket(ushort transportSequenceNumber, TimeSpan arrivalTime)
    {
        if (!_started)
        {
            _started = true;
            _highestSequenceNumber = transportSequenceNumber;
            _nextToReport = transportSequenceNumber;
            _nextFeedbackTime = arrivalTime + FeedbackInterval;
        }

        long sequenceNumber = _highestSequenceNumber + (short)(transportSequenceNumber - (ushort)_highestSequenceNumber);
        int slot = SlotOf(sequenceNumber);
        if (sequenceNumber <= _highestSequenceNumber - MaxPacketStatusCount || _sequenceNumbers[slot] == sequenceNumber)
        {
            return _pendingPackets >= FeedbackPacketThreshold;
        }

        _sequenceNumbers[slot] = sequenceNumber;
        _arrivalMicroseconds[slot] = arrivalTime.Ticks / TimeSpan.TicksPerMicrosecond;
        _highestSequenceNumber = Math.Max(_highestSequenceNumber, sequenceNumber);
        _nextToReport = Math.Min(_nextToReport, sequenceNumber);
        _pendingPackets++;
        return _pendingPackets >= FeedbackPacketThreshold;
    }

    public bool IsFeedbackDue(TimeSpan now) =>
        _pendingPackets > 0 && (_pendingPackets >= FeedbackPacketThreshold || now >= _nextFeedbackTime);

    /// <summary>
    /// Fills <paramref name="feedback"/> with the packets not reported yet, up to the last received
    /// one that fits. Called again while it returns true, it continues where the previous one stopped.
    /// False when there is nothing to report.
    /// </summary>
    public bool TryFillFeedback(TransportWideCcFeedback feedback, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (!_started)
        {
            return false;
        }

        long first = Math.Max(_nextToReport, _highestSequenceNumber - MaxPacketStatusCount + 1);
        long firstReceived = first;
        while (firstReceived <= _highestSequenceNumber && !IsRecorded(firstReceived))
        {
            firstReceived++;
        }

        if (firstReceived > _highestSequenceNumber)
        {
            _pendingPackets = 0;
            return false;
        }

        long referenceUnits = Math.DivRem(ArrivalOf(firstReceived), ReferenceTimeUnitMicroseconds, out long remainder) - (remainder < 0 ? 1 : 0);
        feedback.Start((ushort)first, (int)(referenceUnits & ReferenceTimeMask), _feedbackPacketCount++);
        long previousArrival = referenceUnits * ReferenceTimeUnitMicroseconds;
        int statusCount = 0;
        int deltaLength = 0;
        int reportedStatusCount = 0;
        int reportedPackets = 0;
        long next = first;
        for (long sequenceNumber = first; sequenceNumber <= _highestSequenceNumber; sequenceNumber++)
        {
            if (!IsRecorded(sequenceNumber))
            {
                if (EncodedLength(statusCount + 1, deltaLength) > MaxFeedbackLength)
                {
                    break;
                }

                feedback.AddNotReceived();
                statusCount++;
                continue;
            }

            long ticks = RoundToDeltaUnits(ArrivalOf(sequenceNumber) - previousArrival);
            int length = ticks is >= 0 and <= byte.MaxValue ? 1 : 2;
            if (ticks is < short.MinValue or > short.MaxValue || EncodedLength(statusCount + 1, deltaLength + length) > MaxFeedbackLength)
            {
                break;
            }

            feedback.AddReceived((short)ticks);
            previousArrival += ticks * DeltaUnitMicroseconds;
            statusCount++;
            deltaLength += length;
            reportedStatusCount = statusCount;
            reportedPackets++;
            next = sequenceNumber + 1;
        }

        feedback.TruncateAfterLastReceived(reportedStatusCount);
        _nextToReport = next;
        _pendingPackets = Math.Max(0, _pendingPackets - reportedPackets);
        _nextFeedbackTime = now + FeedbackInterval;
        return true;
    }

    private static int SlotOf(long sequenceNumber) => (int)(sequenceNumber & (MaxPacketStatusCount - 1));

    private bool IsRecorded(long sequenceNumber) => _sequenceNumbers[SlotOf(sequenceNumber)] == sequenceNumber;

    private long ArrivalOf(long sequenceNumber) => _arrivalMicroseconds[SlotOf(sequenceNumber)];

    // To the nearest unit, halves away from zero, as libwebrtc's TransportFeedback.
    private static long RoundToDeltaUnits(long microseconds) =>
        (microseconds + (microseconds < 0 ? -DeltaUnitMicroseconds / 2 : DeltaUnitMicroseconds / 2)) / DeltaUnitMicroseconds;

    private static int EncodedLength(int statusCount, int deltaLength)
    {
        int chunks = (statusCount + StatusesPerVectorChunk - 1) / StatusesPerVectorChunk;
        return (FixedFeedbackLength + chunks * ChunkLength + deltaLength + 3) & ~3;
    }
}
