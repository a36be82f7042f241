using System.Buffers;

namespace MediaEngine.Net;

/// <summary>
/// One direction of a transport under a network throttle: datagrams go through a
/// <see cref="NetworkShaper"/> and wait here, copied, until they leave. Worker thread only.
/// </summary>
internal sealed class ShapedLink
{
    private readonly record struct Waiting(TimeSpan Departure, byte[] Buffer, int Length, TransportTuple Tuple);

    private readonly NetworkShaper _shaper;
    private readonly Queue<Waiting> _waiting = new();

    public ShapedLink(NetworkShape shape) => _shaper = new NetworkShaper(shape);

    /// <summary>Keeps a copy of the datagram until it is due; false when the link loses it.</summary>
    public bool Offer(ReadOnlySpan<byte> datagram, TransportTuple tuple, TimeSpan now)
    {
        if (!_shaper.TryAdmit(datagram.Length, now, out var departure))
            return false;
        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        _waiting.Enqueue(new Waiting(departure, buffer, datagram.Length, tuple));
        return true;
    }

    /// <summary>Hands every datagram that is due to <paramref name="deliver"/>, in order.</summary>
    public void Release(TimeSpan now, Action<Span<byte>, TransportTuple> deliver)
    {
        while (_waiting.TryPeek(out var next) && next.Departure <= now)
        {
            _waiting.Dequeue();
            deliver(next.Buffer.AsSpan(0, next.Length), next.Tuple);
            ArrayPool<byte>.Shared.Return(next.Buffer);
        }
    }

    /// <summary>Drops what waits (the throttle was lifted or the transport closed).</summary>
    public void Clear()
    {
        while (_waiting.TryDequeue(out var waiting))
            ArrayPool<byte>.Shared.Return(waiting.Buffer);
    }
}
