using System.Buffers;

namespace MediaEngine.Sctp;

/// <summary>
/// Turns received DATA chunks into messages (RFC 9260 §6.5, §6.9): a message is the run of
/// consecutive TSNs from a B to an E fragment of one stream (no I-DATA, so messages never
/// interleave). Unordered messages are delivered when whole; ordered ones in SSN order per stream.
/// Fragments sit in pooled buffers; <see cref="BufferedBytes"/> counts them and the whole ordered
/// messages that wait for an earlier SSN.
/// </summary>
internal sealed class SctpReassemblyQueue
{
    private readonly Dictionary<uint, Fragment> _fragments = [];
    private readonly Dictionary<ushort, OrderedStream> _orderedStreams = [];
    private readonly List<uint> _scratchTsns = [];
    private readonly List<DeferredChunk> _deferredChunks = [];
    private readonly Action<ushort, uint, byte[]> _deliver;
    private readonly int _maxMessageSize;
    private DeferredReset? _deferredReset;

    public SctpReassemblyQueue(int maxMessageSize, Action<ushort, uint, byte[]> deliver)
    {
        _maxMessageSize = maxMessageSize;
        _deliver = deliver;
    }

    public int BufferedBytes { get; private set; }

    /// <summary>False when the chunk makes a message larger than the maximum message size.</summary>
    public bool Insert(SctpDataChunk chunk)
    {
        if (_deferredReset is { } reset && reset.Holds(chunk.Tsn, chunk.StreamId))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(chunk.UserData.Length);
            chunk.UserData.CopyTo(buffer);
            _deferredChunks.Add(new DeferredChunk(chunk.Tsn, new Fragment(chunk.StreamId, chunk.Ssn, chunk.Ppid, chunk.Flags, buffer, chunk.UserData.Length)));
            BufferedBytes += chunk.UserData.Length;
            return true;
        }

        if (chunk.IsBeginning && chunk.IsEnd)
        {
            if (chunk.UserData.Length > _maxMessageSize)
            {
                return false;
            }

            Complete(chunk.StreamId, chunk.Ssn, chunk.Ppid, chunk.IsUnordered, chunk.UserData.ToArray());
            return true;
        }

        var fragmentBuffer = ArrayPool<byte>.Shared.Rent(chunk.UserData.Length);
        chunk.UserData.CopyTo(fragmentBuffer);
        return Store(chunk.Tsn, new Fragment(chunk.StreamId, chunk.Ssn, chunk.Ppid, chunk.Flags, fragmentBuffer, chunk.UserData.Length));
    }

    /// <summary>Drops fragments up to <paramref name="newCumulativeTsn"/>, whose messages the sender abandoned (RFC 3758 §3.6).</summary>
    public void DiscardFragmentsUpTo(uint newCumulativeTsn)
    {
        _scratchTsns.Clear();
        foreach (var (tsn, _) in _fragments)
        {
            if (SctpSerialNumber.IsNewerOrEqual(newCumulativeTsn, tsn))
            {
                _scratchTsns.Add(tsn);
            }
        }

        foreach (uint tsn in _scratchTsns)
        {
            _fragments.Remove(tsn, out var fragment);
            Release(fragment);
        }
    }

    /// <summary>Skips an ordered stream past <paramref name="ssn"/>, delivering the messages that then come next.</summary>
    public void SkipOrderedTo(ushort streamId, ushort ssn)
    {
        var stream = GetOrderedStream(streamId);
        if (!SctpSerialNumber.IsNewerOrEqual(ssn, stream.NextSsn))
        {
            return;
        }

        while (stream.NextSsn != (ushort)(ssn + 1))
        {
            if (stream.Waiting.Remove(stream.NextSsn, out var skipped))
            {
                BufferedBytes -= skipped.Payload.Length;
            }

            stream.NextSsn++;
        }

        DeliverWaiting(stream);
    }

    /// <summary>
    /// Holds back chunks after <paramref name="sendersLastAssignedTsn"/> on the streams being reset
    /// (all when empty) until <see cref="PerformDeferredReset"/>: they already carry the new SSNs.
    /// </summary>
    public void DeferReset(uint sendersLastAssignedTsn, ushort[] streamIds) => _deferredReset = new DeferredReset(sendersLastAssignedTsn, streamIds);

    public uint? DeferredResetTsn => _deferredReset?.SendersLastAssignedTsn;

    /// <summary>Resets the deferred streams and processes the chunks held back; false as for <see cref="Insert"/>.</summary>
    public bool PerformDeferredReset(out ushort[] streamIds)
    {
        streamIds = _deferredReset!.StreamIds;
        _deferredReset = null;
        ResetStreams(streamIds);
        bool withinLimits = true;
        foreach (var deferred in _deferredChunks)
        {
            BufferedBytes -= deferred.Fragment.Length;
            var fragment = deferred.Fragment;
            if (fragment.IsBeginning && fragment.IsEnd)
            {
                Complete(fragment.StreamId, fragment.Ssn, fragment.Ppid, fragment.IsUnordered, fragment.Buffer.AsSpan(0, fragment.Length).ToArray());
                ArrayPool<byte>.Shared.Return(fragment.Buffer);
            }
            else
            {
                withinLimits &= Store(deferred.Tsn, fragment);
            }
        }

        _deferredChunks.Clear();
        return withinLimits;
    }

    /// <summary>Resets the next expected SSN of ordered streams (all when empty) to 0 (RFC 6525 §5.2.2 E3).</summary>
    public void ResetStreams(ReadOnlySpan<ushort> streamIds)
    {
        if (streamIds.IsEmpty)
        {
            foreach (var (_, stream) in _orderedStreams)
            {
                ResetStream(stream);
            }

            return;
        }

        foreach (ushort streamId in streamIds)
        {
            if (_orderedStreams.TryGetValue(streamId, out var stream))
            {
                ResetStream(stream);
            }
        }
    }

    private void ResetStream(OrderedStream stream)
    {
        foreach (var (_, waiting) in stream.Waiting)
        {
            BufferedBytes -= waiting.Payload.Length;
        }

        stream.Waiting.Clear();
        stream.NextSsn = 0;
    }

    private bool Store(uint tsn, Fragment fragment)
    {
        _fragments[tsn] = fragment;
        BufferedBytes += fragment.Length;
        return TryAssemble(tsn, fragment);
    }

    private bool TryAssemble(uint tsn, Fragment inserted)
    {
        uint first = tsn;
        var current = inserted;
        while (!current.IsBeginning)
        {
            if (!_fragments.TryGetValue(first - 1, out var previous) || previous.IsEnd || !previous.IsSameMessage(inserted))
            {
                return true;
            }

            first--;
            current = previous;
        }

        int total = 0;
        uint last = first;
        current = _fragments[first];
        while (true)
        {
            total += current.Length;
            if (total > _maxMessageSize)
            {
                return false;
            }

            if (current.IsEnd)
            {
                break;
            }

            if (!_fragments.TryGetValue(last + 1, out var next) || next.IsBeginning || !next.IsSameMessage(inserted))
            {
                return true;
            }

            last++;
            current = next;
        }

        var payload = new byte[total];
        int offset = 0;
        for (uint fragmentTsn = first; fragmentTsn != last + 1; fragmentTsn++)
        {
            _fragments.Remove(fragmentTsn, out var fragment);
            fragment.Buffer.AsSpan(0, fragment.Length).CopyTo(payload.AsSpan(offset));
            offset += fragment.Length;
            Release(fragment);
        }

        Complete(inserted.StreamId, inserted.Ssn, inserted.Ppid, inserted.IsUnordered, payload);
        return true;
    }

    private void Complete(ushort streamId, ushort ssn, uint ppid, bool unordered, byte[] payload)
    {
        if (unordered)
        {
            _deliver(streamId, ppid, payload);
            return;
        }

        var stream = GetOrderedStream(streamId);
        if (ssn == stream.NextSsn)
        {
            _deliver(streamId, ppid, payload);
            stream.NextSsn++;
            DeliverWaiting(stream);
        }
        else if (SctpSerialNumber.IsNewer(ssn, stream.NextSsn) && stream.Waiting.TryAdd(ssn, new WaitingMessage(ppid, payload)))
        {
            BufferedBytes += payload.Length;
        }
    }

    private void DeliverWaiting(OrderedStream stream)
    {
        while (stream.Waiting.Remove(stream.NextSsn, out var message))
        {
            BufferedBytes -= message.Payload.Length;
            _deliver(stream.StreamId, message.Ppid, message.Payload);
            stream.NextSsn++;
        }
    }

    private OrderedStream GetOrderedStream(ushort streamId)
    {
        if (!_orderedStreams.TryGetValue(streamId, out var stream))
        {
            stream = new OrderedStream(streamId);
            _orderedStreams.Add(streamId, stream);
        }

        return stream;
    }

    private void Release(Fragment fragment)
    {
        BufferedBytes -= fragment.Length;
        ArrayPool<byte>.Shared.Return(fragment.Buffer);
    }

    private readonly record struct Fragment(ushort StreamId, ushort Ssn, uint Ppid, SctpDataChunkFlags Flags, byte[] Buffer, int Length)
    {
        public bool IsBeginning => (Flags & SctpDataChunkFlags.Beginning) != 0;

        public bool IsEnd => (Flags & SctpDataChunkFlags.End) != 0;

        public bool IsUnordered => (Flags & SctpDataChunkFlags.Unordered) != 0;

        public bool IsSameMessage(Fragment other) =>
            StreamId == other.StreamId && IsUnordered == other.IsUnordered && (IsUnordered || Ssn == other.Ssn);
    }

    private readonly record struct WaitingMessage(uint Ppid, byte[] Payload);

    private readonly record struct DeferredChunk(uint Tsn, Fragment Fragment);

    private sealed class OrderedStream(ushort streamId)
    {
        public ushort StreamId { get; } = streamId;

        public ushort NextSsn { get; set; }

        public Dictionary<ushort, WaitingMessage> Waiting { get; } = [];
    }

    private sealed record DeferredReset(uint SendersLastAssignedTsn, ushort[] StreamIds)
    {
        public bool Holds(uint tsn, ushort streamId) =>
            SctpSerialNumber.IsNewer(tsn, SendersLastAssignedTsn) && (StreamIds.Length == 0 || StreamIds.Contains(streamId));
    }
}
