namespace MediaEngine.RtpStreams;

/// <summary>
/// The content of one transport-cc feedback packet (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1), filled by <see cref="TransportWideCcRecorder.TryFillFeedback"/> for an RTCP writer to
/// encode. Reusable: each fill replaces the previous content. Encoded with two-bit status vector
/// chunks or anything denser, it fits in <see cref="TransportWideCcRecorder.MaxFeedbackLength"/> bytes.
/// </summary>
public sealed class TransportWideCcFeedback
{
    private readonly TransportWideCcPacketStatus[] _packetStatuses = new TransportWideCcPacketStatus[TransportWideCcRecorder.MaxPacketStatusCount];
    private readonly short[] _receiveDeltas = new short[TransportWideCcRecorder.MaxPacketStatusCount];
    private int _packetStatusCount;
    private int _receiveDeltaCount;

    /// <summary>Transport-wide sequence number of the first packet described.</summary>
    public ushort BaseSequenceNumber { get; private set; }

    /// <summary>Arrival time the receive deltas start from, in multiples of 64 ms, 24 bits.</summary>
    public int ReferenceTime { get; private set; }

    /// <summary>Counts the feedback packets, modulo 256, so the sender can detect lost ones.</summary>
    public byte FeedbackPacketCount { get; private set; }

    /// <summary>One status per sequence number from <see cref="BaseSequenceNumber"/> on.</summary>
    public ReadOnlySpan<TransportWideCcPacketStatus> PacketStatuses => _packetStatuses.AsSpan(0, _packetStatusCount);

    /// <summary>
    /// One delta per received packet, in order, in 250 µs units: the first from the reference
    /// time, each next from the previous one.
    /// </summary>
    public ReadOnlySpan<short> ReceiveDeltas => _receiveDeltas.AsSpan(0, _receiveDeltaCount);

    internal void Start(ushort baseSequenceNumber, int referenceTime, byte feedbackPacketCount)
    {
        BaseSequenceNumber = baseSequenceNumber;
        ReferenceTime = referenceTime;
        FeedbackPacketCount = feedbackPacketCount;
        _packetStatusCount = 0;
        _receiveDeltaCount = 0;
    }

    internal void AddNotReceived() => _packetStatuses[_packetStatusCount++] = TransportWideCcPacketStatus.NotReceived;

    internal void AddReceived(short receiveDelta)
    {
        _packetStatuses[_packetStatusCount++] = receiveDelta is >= 0 and <= byte.MaxValue
            ? TransportWideCcPacketStatus.ReceivedSmallDelta
            : TransportWideCcPacketStatus.ReceivedLargeDelta;
        _receiveDeltas[_receiveDeltaCount++] = receiveDelta;
    }

    /// <summary>Drops the statuses after the last received packet: they are reported in the next feedback.</summary>
    internal void TruncateAfterLastReceived(int packetStatusCount) => _packetStatusCount = packetStatusCount;
}
