namespace MediaEngine.Sctp;

/// <summary>Bytes of outgoing messages not yet acknowledged nor abandoned, shared by the send and retransmission queues.</summary>
internal sealed class SctpBufferedAmount
{
    public long Value { get; private set; }

    public void Add(int bytes) => Value += bytes;

    public void Release(int bytes) => Value -= bytes;
}
