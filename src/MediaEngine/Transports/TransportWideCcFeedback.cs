using MediaEngine.Rtcp;

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

    private readonly ushort[] _sequenceNumbers = new ushort[Capacity];
    private readonly long[] _arrivalMicroseconds = new long[Capacity];
    private int _count;
    private byte _feedbackPacketCount;

    public int PendingCount => _count;

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
