namespace MediaEngine.Sctp;

/// <summary>
/// Messages waiting to be cut into DATA chunks, first in first out. A message is fragmented whole
/// before the next one starts (no I-DATA interleaving). Holds the next SSN of each ordered stream.
/// </summary>
internal sealed class SctpSendQueue(SctpBufferedAmount bufferedAmount, SctpCounters counters)
{
    private readonly Queue<SctpOutgoingMessage> _messages = [];
    private readonly Dictionary<ushort, ushort> _nextSsn = [];

    public bool IsEmpty => _messages.Count == 0;

    public void Enqueue(SctpOutgoingMessage message)
    {
        bufferedAmount.Add(message.Payload.Length);
        _messages.Enqueue(message);
    }

    public bool HasQueuedOn(ushort streamId)
    {
        foreach (var message in _messages)
        {
            if (message.StreamId == streamId && !message.IsAbandoned)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a fragment is ready, dropping expired or abandoned messages at the head first.</summary>
    public bool HasData(TimeSpan now)
    {
        while (_messages.TryPeek(out var message))
        {
            if (message.IsAbandoned)
            {
                _messages.Dequeue();
            }
            else if (!message.IsStarted && message.HasExpired(now))
            {
                _messages.Dequeue();
                message.IsAbandoned = true;
                bufferedAmount.Release(message.Payload.Length);
                counters.AbandonedMessages++;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Payload bytes of the head message not yet fragmented, after <see cref="HasData"/> returned true.</summary>
    public int HeadRemaining
    {
        get
        {
            var message = _messages.Peek();
            return message.Payload.Length - message.FragmentedBytes;
        }
    }

    /// <summary>Cuts the next fragment, at most <paramref name="maxLength"/> bytes, after <see cref="HasData"/> returned true.</summary>
    public SctpOutgoingMessage TakeFragment(int maxLength, uint tsn, out int offset, out int length, out SctpDataChunkFlags flags)
    {
        var message = _messages.Peek();
        if (!message.IsStarted)
        {
            message.FirstTsn = tsn;
            if (!message.Unordered)
            {
                _nextSsn.TryGetValue(message.StreamId, out ushort ssn);
                message.Ssn = ssn;
                _nextSsn[message.StreamId] = (ushort)(ssn + 1);
            }
        }

        offset = message.FragmentedBytes;
        length = Math.Min(maxLength, message.Payload.Length - offset);
        flags = (offset == 0 ? SctpDataChunkFlags.Beginning : 0)
            | (offset + length == message.Payload.Length ? SctpDataChunkFlags.End : 0)
            | (message.Unordered ? SctpDataChunkFlags.Unordered : 0);
        message.FragmentedBytes += length;
        message.FragmentsSent++;
        if (message.IsFullyFragmented)
        {
            _messages.Dequeue();
        }

        return message;
    }

    /// <summary>Starts the SSNs of reset streams again at 0 (RFC 6525 §5.1.2).</summary>
    public void ResetSsn(ushort streamId) => _nextSsn.Remove(streamId);
}
