using MediaEngine.Rtcp;
using MediaEngine.RtpStreams;

namespace MediaEngine.Transports;

/// <summary>
/// Receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01):
/// records the transport-wide sequence number and arrival time of each incoming RTP packet and
/// turns them into feedback packets, so the browser's send-side estimate can ramp up (and its
/// higher simulcast layers switch on). Worker thread only; no allocation per packet.
/// </summary>
internal sealed class TransportWideCcFeedback
{
    private const int Capacity = 512;

    /// <summary>How many feedback intervals the packet loss averages (mediasoup's value).</summary>
    private const int PacketLossHistoryLength = 24;

    private readonly ushort[] _sequenceNumbers = new ushort[Capacity];
    private readonly long[] _arrivalMicroseconds = new long[Capacity];
    private int _count;
    private byte _feedbackPacketCount;
    private readonly RecentWeightedAverage _packetLoss = new(PacketLossHistoryLength);
    private ushort? _highestReported;

    public int PendingCount => _count;

    /// <summary>
    /// The share (0–1) of packets missing from each feedback interval, averaged over the last ones
    /// with the newest weighing most (mediasoup's rtpPacketLossReceived); null before any feedback.
    /// </summary>
    public double? PacketLoss { get; private set; }

    public void Record(ushort sequenceNumber, long arrivalMicroseconds)
    {
        if (_count == Capacity)
            return;
        _sequenceNumbers[_count] = sequenceNumber;
        _arrivalMicroseconds[_count] = arrivalMicroseconds;
        _count++;
    }

    /// <summary>Writes feedback for every pending packet into <paramref name="buffer"/>, calling <paramref name="send"/> per packet.</summary>
    public void Flush(byte[] buffer, uint mediaSsrc, Action<int> send)
    {
        if (_count == 0)
            return;
        SortBySequence();
        RecordPacketLoss();
        var index = 0;
        while (index < _count)
        {
            var builder = new FeedbackRtpTransportPacketBuilder(buffer, 1, mediaSsrc, _sequenceNumbers[index], _arrivalMicroseconds[index], _feedbackPacketCount++);
            var previous = -1;
            while (index < _count)
            {
                var sequence = _sequenceNumbers[index];
                if (sequence == previous)
                {
                    index++; // duplicate
                    continue;
                }
                if (!builder.TryAddReceivedPacket(sequence, _arrivalMicroseconds[index]))
                    break;
                previous = sequence;
                index++;
            }
            if (builder.PacketStatusCount == 0)
            {
                index++; // a packet no feedback can hold on its own (delta out of range): skip it
                continue;
            }
            send(builder.Complete());
        }
        _count = 0;
    }

    /// <summary>
    /// Adds the loss of the interval since the highest sequence number of the previous feedback, from
    /// the sorted pending packets; the late ones (at or below that number) are not counted again.
    /// </summary>
    private void RecordPacketLoss()
    {
        var received = 0;
        ushort? first = null;
        ushort highest = 0;
        for (var i = 0; i < _count; i++)
        {
            var sequence = _sequenceNumbers[i];
            if ((_highestReported is { } reported && (short)(sequence - reported) <= 0) || (received > 0 && sequence == highest))
                continue;
            first ??= sequence;
            highest = sequence;
            received++;
        }
        if (first is not { } firstNew)
            return;
        var expected = _highestReported is { } previous ? (ushort)(highest - previous) : (ushort)(highest - firstNew) + 1;
        _highestReported = highest;
        _packetLoss.Add((double)(expected - received) / expected);
        PacketLoss = _packetLoss.Value;
    }

    /// <summary>Insertion sort by sequence number, wrap-aware relative to the first pending one (packets arrive nearly in order).</summary>
    private void SortBySequence()
    {
        var origin = _sequenceNumbers[0];
        for (var i = 1; i < _count; i++)
        {
            var sequence = _sequenceNumbers[i];
            var arrival = _arrivalMicroseconds[i];
            var key = (short)(sequence - origin);
            var j = i - 1;
            while (j >= 0 && (short)(_sequenceNumbers[j] - origin) > key)
            {
                _sequenceNumbers[j + 1] = _sequenceNumbers[j];
                _arrivalMicroseconds[j + 1] = _arrivalMicroseconds[j];
                j--;
            }
            _sequenceNumbers[j + 1] = sequence;
            _arrivalMicroseconds[j + 1] = arrival;
        }
    }
}
