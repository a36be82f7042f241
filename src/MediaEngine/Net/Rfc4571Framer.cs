using System.Buffers.Binary;

namespace MediaEngine.Net;

/// <summary>
/// RFC 4571 framing of RTP, RTCP, STUN and DTLS over a TCP stream: each packet is preceded by
/// its 16-bit length. Sans-IO: feed bytes as they arrive, get whole packets out.
/// </summary>
public sealed class Rfc4571Framer
{
    public const int MaxPacketSize = ushort.MaxValue;

    private readonly byte[] _buffer = new byte[2 + MaxPacketSize];
    private int _filled;

    /// <summary>Appends received bytes and calls <paramref name="onPacket"/> for each complete packet.</summary>
    public void Feed(ReadOnlySpan<byte> received, PacketHandler onPacket)
    {
        while (received.Length > 0)
        {
            var needed = _filled < 2 ? 2 - _filled : 2 + FrameLength - _filled;
            var take = Math.Min(needed, received.Length);
            received[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            received = received[take..];

            if (_filled >= 2 && _filled == 2 + FrameLength)
            {
                if (FrameLength > 0)
                    onPacket(_buffer.AsSpan(2, FrameLength));
                _filled = 0;
            }
        }
    }

    public delegate void PacketHandler(Span<byte> packet);

    private int FrameLength => BinaryPrimitives.ReadUInt16BigEndian(_buffer);

    /// <summary>Writes the length prefix and the packet into <paramref name="destination"/>; returns the framed length.</summary>
    public static int Frame(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        if (packet.Length > MaxPacketSize)
            throw new ArgumentException("packet too large for RFC 4571 framing", nameof(packet));
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)packet.Length);
        packet.CopyTo(destination[2..]);
        return packet.Length + 2;
    }
}
