using System.Buffers.Binary;

namespace MediaEngine.Rtcp;

/// <summary>
/// Writes a transport-wide congestion control feedback packet into a caller-provided buffer
/// without allocating: <see cref="TryAddReceivedPacket"/> for each packet received, in sequence
/// order, then <see cref="Complete"/>. Status chunks are chosen as libwebrtc chooses them
/// (run-length while statuses repeat, otherwise the densest status vector that fits). Deltas are
/// staged backwards from the end of the buffer until the number of chunks is known, so the
/// packet never needs more room than its final size. The packet is zero-padded to 32 bits
/// without the padding bit, as mediasoup does, so it can sit anywhere in a compound packet.
/// </summary>
public ref struct FeedbackRtpTransportPacketBuilder
{
    public const int MinDestinationLength = ChunksOffset;

    private const int ChunksOffset = FeedbackPacketLayout.FciOffset + FeedbackRtpTransportPacket.FixedFciLength;
    private const int ChunkLength = FeedbackRtpTransportPacket.ChunkLength;
    private const int MaxStatusCount = ushort.MaxValue;
    private const int MaxRunLength = FeedbackRtpTransportPacket.MaxRunLength;
    private const int OneBitVectorCapacity = FeedbackRtpTransportPacket.OneBitVectorCapacity;
    private const int TwoBitVectorCapacity = FeedbackRtpTransportPacket.TwoBitVectorCapacity;
    private const int MaxSmallDelta = byte.MaxValue;
    private const int NotReceived = (int)FeedbackRtpTransportStatus.NotReceived;
    private const int SmallDelta = (int)FeedbackRtpTransportStatus.SmallDelta;
    private const int LargeDelta = (int)FeedbackRtpTransportStatus.LargeDelta;

    private readonly Span<byte> _destination;
    private readonly uint _senderSsrc;
    private readonly uint _mediaSsrc;
    private readonly ushort _baseSequenceNumber;
    private readonly int _referenceTime;
    private readonly byte _feedbackPacketCount;
    private int _statusCount;
    private int _chunkCount;
    private int _deltasLength;
    private long _lastArrivalTimeMicroseconds;
    private bool _completed;

    // The chunk being filled: up to 14 two-bit symbols, symbol i at bits 2i and 2i+1, and past
    // 14 only a run of identical symbols, so the count alone describes the rest.
    private uint _pendingSymbols;
    private int _pendingCount;
    private bool _pendingAllSame;
    private bool _pendingHasLargeDelta;

    /// <param name="referenceTimeMicroseconds">
    /// Arrival time, on the clock later arrival times use, that the first receive delta counts from;
    /// it is rounded down to 64 ms and its low 24 bits of 64 ms units go on the wire.
    /// </param>
    public FeedbackRtpTransportPacketBuilder(
        Span<byte> destination,
        uint senderSsrc,
        uint mediaSsrc,
        ushort baseSequenceNumber,
        long referenceTimeMicroseconds,
        byte feedbackPacketCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(referenceTimeMicroseconds);
        if (destination.Length < MinDestinationLength)
        {
            throw new ArgumentException("The destination cannot hold a transport-wide feedback packet.", nameof(destination));
        }

        long referenceTime = referenceTimeMicroseconds / FeedbackRtpTransportPacket.MicrosecondsPerReferenceTimeUnit;
        _destination = destination;
        _senderSsrc = senderSsrc;
        _mediaSsrc = mediaSsrc;
        _baseSequenceNumber = baseSequenceNumber;
        _referenceTime = (int)(referenceTime & 0xFFFFFF);
        _feedbackPacketCount = feedbackPacketCount;
        _lastArrivalTimeMicroseconds = referenceTime * FeedbackRtpTransportPacket.MicrosecondsPerReferenceTimeUnit;
    }

    public readonly int PacketStatusCount => _statusCount;

    private readonly int FirstPendingSymbol => (int)(_pendingSymbols & 0b11);

    /// <summary>
    /// Reports <paramref name="sequenceNumber"/> received at <paramref name="arrivalTimeMicroseconds"/>
    /// and the sequence numbers skipped since the previous call as not received. False, with the
    /// builder unchanged, when the sequence number does not come after the previous one, when the
    /// delta since the previous received packet exceeds a signed 16-bit count of 250 µs ticks, or
    /// when the packet would outgrow the destination: complete this packet and start another.
    /// </summary>
    public bool TryAddReceivedPacket(ushort sequenceNumber, long arrivalTimeMicroseconds)
    {
        EnsureNotCompleted();
        int missing = (ushort)(sequenceNumber - _baseSequenceNumber - _statusCount);
        if (missing >= 0x8000 || _statusCount + missing >= MaxStatusCount)
        {
            return false;
        }

        long deltaMicroseconds = arrivalTimeMicroseconds - _lastArrivalTimeMicroseconds;
        long halfTick = FeedbackRtpTransportPacket.MicrosecondsPerTick / 2;
        long delta = (deltaMicroseconds + (deltaMicroseconds < 0 ? -halfTick : halfTick))
            / FeedbackRtpTransportPacket.MicrosecondsPerTick;
        if (delta is < short.MinValue or > short.MaxValue)
        {
            return false;
        }

        int symbol = delta is >= 0 and <= MaxSmallDelta ? SmallDelta : LargeDelta;
        FeedbackRtpTransportPacketBuilder saved = this;
        for (int index = 0; index < missing; index++)
        {
            if (!TryAddStatus(NotReceived))
            {
                this = saved;
                return false;
            }
        }

        if (!TryAddStatus(symbol) || !TryStageDelta((short)delta, symbol) || LengthIfCompletedNow > _destination.Length)
        {
            this = saved;
            return false;
        }

        // Accumulating the rounded delta, not the exact arrival time, keeps rounding errors from adding up.
        _lastArrivalTimeMicroseconds += delta * FeedbackRtpTransportPacket.MicrosecondsPerTick;
        return true;
    }

    /// <summary>Writes the header, the last chunk and the deltas in place and returns the packet's length.</summary>
    public int Complete()
    {
        EnsureNotCompleted();
        _completed = true;
        if (_pendingCount > 0)
        {
            WriteChunk(EncodeLastChunk());
        }

        int deltasOffset = ChunksOffset + _chunkCount * ChunkLength;
        Span<byte> stagedDeltas = _destination[(_destination.Length - _deltasLength)..];
        stagedDeltas.Reverse();
        stagedDeltas.CopyTo(_destination[deltasOffset..]);
        int unpaddedLength = deltasOffset + _deltasLength;
        int length = RtcpCommonHeader.AlignToWord(unpaddedLength);
        _destination[unpaddedLength..length].Clear();

        FeedbackPacketLayout.WriteHeader(
            _destination, RtcpPacketType.RtpFeedback, (byte)FeedbackRtpMessageType.TransportWideCc, length, _senderSsrc, _mediaSsrc);
        Span<byte> fci = _destination[FeedbackPacketLayout.FciOffset..];
        BinaryPrimitives.WriteUInt16BigEndian(fci, _baseSequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(fci[2..], (ushort)_statusCount);
        BinaryPrimitives.WriteUInt32BigEndian(fci[4..], ((uint)_referenceTime << 8) | _feedbackPacketCount);
        return length;
    }

    /// <summary>Size of the packet if completed now, padding included.</summary>
    private readonly int LengthIfCompletedNow => RtcpCommonHeader.AlignToWord(
        ChunksOffset + (_chunkCount + (_pendingCount > 0 ? 1 : 0)) * ChunkLength + _deltasLength);

    private bool TryAddStatus(int symbol)
    {
        if (!CanAddToPendingChunk(symbol))
        {
            if (!HasRoomFor(ChunkLength))
            {
                return false;
            }

            WriteChunk(EncodeFullChunk());
        }

        if (_pendingCount < OneBitVectorCapacity)
        {
            _pendingSymbols |= (uint)symbol << (2 * _pendingCount);
        }

        _pendingAllSame = _pendingCount == 0 || (_pendingAllSame && symbol == FirstPendingSymbol);
        _pendingHasLargeDelta |= symbol == LargeDelta;
        _pendingCount++;
        _statusCount++;
        return true;
    }

    private readonly bool CanAddToPendingChunk(int symbol)
    {
        if (_pendingCount < TwoBitVectorCapacity)
        {
            return true;
        }

        if (_pendingCount < OneBitVectorCapacity && !_pendingHasLargeDelta && symbol != LargeDelta)
        {
            return true;
        }

        return _pendingCount < MaxRunLength && _pendingAllSame && symbol == FirstPendingSymbol;
    }

    /// <summary>Encodes the pending chunk once it can take no more symbols, keeping any left over.</summary>
    private ushort EncodeFullChunk()
    {
        if (_pendingAllSame)
        {
            ushort runLength = EncodeRunLength();
            ClearPendingChunk();
            return runLength;
        }

        if (_pendingCount == OneBitVectorCapacity)
        {
            ushort oneBitVector = EncodeOneBitVector(OneBitVectorCapacity);
            ClearPendingChunk();
            return oneBitVector;
        }

        // A large delta arrived after more than seven symbols without one: the first seven go out
        // as a two-bit vector and the rest stay pending.
        ushort twoBitVector = EncodeTwoBitVector(TwoBitVectorCapacity);
        _pendingSymbols >>= 2 * TwoBitVectorCapacity;
        _pendingCount -= TwoBitVectorCapacity;
        _pendingAllSame = true;
        _pendingHasLargeDelta = false;
        for (int index = 0; index < _pendingCount; index++)
        {
            int symbol = PendingSymbol(index);
            _pendingAllSame &= symbol == FirstPendingSymbol;
            _pendingHasLargeDelta |= symbol == LargeDelta;
        }

        return twoBitVector;
    }

    private readonly ushort EncodeLastChunk()
    {
        if (_pendingAllSame)
        {
            return EncodeRunLength();
        }

        return _pendingCount <= TwoBitVectorCapacity
            ? EncodeTwoBitVector(_pendingCount)
            : EncodeOneBitVector(_pendingCount);
    }

    private readonly ushort EncodeRunLength() => (ushort)((FirstPendingSymbol << 13) | _pendingCount);

    private readonly ushort EncodeOneBitVector(int symbolCount)
    {
        int chunk = 0x8000;
        for (int index = 0; index < symbolCount; index++)
        {
            chunk |= PendingSymbol(index) << (OneBitVectorCapacity - 1 - index);
        }

        return (ushort)chunk;
    }

    private readonly ushort EncodeTwoBitVector(int symbolCount)
    {
        int chunk = 0xC000;
        for (int index = 0; index < symbolCount; index++)
        {
            chunk |= PendingSymbol(index) << (2 * (TwoBitVectorCapacity - 1 - index));
        }

        return (ushort)chunk;
    }

    private readonly int PendingSymbol(int index) => (int)((_pendingSymbols >> (2 * index)) & 0b11);

    private void ClearPendingChunk()
    {
        _pendingSymbols = 0;
        _pendingCount = 0;
        _pendingAllSame = true;
        _pendingHasLargeDelta = false;
    }

    private void WriteChunk(ushort chunk)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_destination[(ChunksOffset + _chunkCount * ChunkLength)..], chunk);
        _chunkCount++;
    }

    /// <summary>Stages the delta at the end of the destination, bytes in reverse order.</summary>
    private bool TryStageDelta(short delta, int symbol)
    {
        int deltaLength = FeedbackRtpTransportPacket.DeltaLength(symbol);
        if (!HasRoomFor(deltaLength))
        {
            return false;
        }

        int end = _destination.Length - _deltasLength;
        if (deltaLength == 1)
        {
            _destination[end - 1] = (byte)delta;
        }
        else
        {
            _destination[end - 1] = (byte)(delta >> 8);
            _destination[end - 2] = (byte)delta;
        }

        _deltasLength += deltaLength;
        return true;
    }

    /// <summary>Whether the free space between written chunks and staged deltas has <paramref name="length"/> bytes.</summary>
    private readonly bool HasRoomFor(int length) =>
        ChunksOffset + _chunkCount * ChunkLength + _deltasLength + length <= _destination.Length;

    private readonly void EnsureNotCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The transport-wide feedback packet has already been completed.");
        }
    }
}
