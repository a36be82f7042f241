namespace MediaEngine.RtpStreams;

/// <summary>
/// Spare packet-sized buffers of the calling thread (a media worker's), so that a retransmission
/// buffer holds storage only for the packets it keeps: one evicted packet's buffer takes the next
/// packet, and nothing is allocated per packet once the worker runs steadily. Thread-local: no locks.
/// </summary>
internal static class PacketStoragePool
{
    /// <summary>Spares kept per thread beyond what is in use; more are left to the GC (about 1.5 MB).</summary>
    private const int MaxSpares = 1024;

    [ThreadStatic]
    private static Stack<byte[]>? t_spares;

    public static byte[] Rent(int length)
    {
        if (length == RtpRetransmissionBuffer.DefaultMaxPacketLength && t_spares is { Count: > 0 } spares)
            return spares.Pop();
        return new byte[length];
    }

    public static void Return(byte[] buffer)
    {
        if (buffer.Length != RtpRetransmissionBuffer.DefaultMaxPacketLength)
            return;
        var spares = t_spares ??= new Stack<byte[]>();
        if (spares.Count < MaxSpares)
            spares.Push(buffer);
    }
}
