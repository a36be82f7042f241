using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// Decodes the packet status chunks and receive deltas of a transport-wide feedback packet
/// already validated by <see cref="FeedbackRtpTransportPacket.TryParse"/>, one sequence number
/// at a time.
/// </summary>
public ref struct FeedbackRtpTransportPacketResultEnumerator
{
    private readonly ReadOnlySpan<byte> _chunks;
    private readonly ReadOnlySpan<byte> _deltas;
    private int _remainingStatuses;
    private int _nextChunkOffset;
    private ushort _chunk;
    private int _symbolsLeftInChunk;
    private int _symbolIndex;
    private int _nextDeltaOffset;
    private ushort _nextSequenceNumber;
    private long _arrivalTimeTicks;

    internal FeedbackRtpTransportPacketResultEnumerator(
        ReadOnlySpan<byte> chunks, ReadOnlySpan<byte> deltas, ushort baseSequenceNumber, int statusCount, int referenceTime)
    {
        _chunks = chunks;
        _deltas = deltas;
        _remainingStatuses = statusCount;
        _nextChunkOffset = 0;
        _chunk = 0;
        _symbolsLeftInChunk = 0;
        _symbolIndex = 0;
        _nextDeltaOffset = 0;
        _nextSequenceNumber = baseSequenceNumber;
        _arrivalTimeTicks = referenceTime * FeedbackRtpTransportPacket.TicksPerReferenceTimeUnit;
        Current = default;
    }

    public FeedbackRtpTransportPacketResult Current { get; private set; }

    public readonly FeedbackRtpTransportPacketResultEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remainingStatuses == 0)
        {
            return false;
        }

        while (_symbolsLeftInChunk == 0)
        {
            _chunk = BinaryPrimitives.ReadUInt16BigEndian(_chunks[_nextChunkOffset..]);
            _nextChunkOffset += FeedbackRtpTransportPacket.ChunkLength;
            _symbolsLeftInChunk = FeedbackRtpTransportPacket.SymbolCount(_chunk);
            _symbolIndex = 0;
        }

        var status = (FeedbackRtpTransportStatus)FeedbackRtpTransportPacket.Symbol(_chunk, _symbolIndex);
        _symbolIndex++;
        _symbolsLeftInChunk--;
        _remainingStatuses--;

        short delta = 0;
        long arrivalTimeMicroseconds = 0;
        if (status == FeedbackRtpTransportStatus.SmallDelta)
        {
            delta = _deltas[_nextDeltaOffset++];
        }
        else if (status == FeedbackRtpTransportStatus.LargeDelta)
        {
            delta = BinaryPrimitives.ReadInt16BigEndian(_deltas[_nextDeltaOffset..]);
            _nextDeltaOffset += 2;
        }

        if (status != FeedbackRtpTransportStatus.NotReceived)
        {
            _arrivalTimeTicks += delta;
            arrivalTimeMicroseconds = _arrivalTimeTicks * FeedbackRtpTransportPacket.MicrosecondsPerTick;
        }

        Current = new FeedbackRtpTransportPacketResult(_nextSequenceNumber, status, delta, arrivalTimeMicroseconds);
        _nextSequenceNumber++;
        return true;
    }
}
