using MediaEngine.Rtp.Packets;

namespace WebRtcLoad;

/// <summary>
/// The VP8 video the load tool sends: 1,000-byte RTP packets (988 bytes of payload), three per frame,
/// a key frame a second, so that consumers start at once and a lost packet is soon repaired.
/// </summary>
internal static class Vp8Packets
{
    public const byte PayloadType = 101;
    public const int PacketLength = 1000;

    private const int PacketsPerFrame = 3;

    /// <summary>A payload to send (random bytes behind the VP8 descriptor, which each write sets).</summary>
    public static byte[] NewPayload()
    {
        var payload = new byte[PacketLength - RtpPacket.FixedHeaderLength];
        Random.Shared.NextBytes(payload);
        return payload;
    }

    /// <summary>Writes the stream's <paramref name="packetIndex"/>th packet (from 0) into <paramref name="buffer"/>; returns its length.</summary>
    public static int Write(Span<byte> buffer, byte[] payload, uint ssrc, ushort sequenceNumber, long packetIndex, int packetsPerSecond)
    {
        var framesPerSecond = Math.Max(1, packetsPerSecond / PacketsPerFrame);
        var inFrame = (int)(packetIndex % PacketsPerFrame);
        var frame = packetIndex / PacketsPerFrame;
        var writer = new RtpPacketWriter(buffer, PayloadType, inFrame == PacketsPerFrame - 1, sequenceNumber,
            (uint)(frame * 90_000 / framesPerSecond), ssrc);
        // VP8 payload descriptor: S bit on a frame's first packet; the payload header's P bit is 0 on key frames.
        payload[0] = (byte)(inFrame == 0 ? 0x10 : 0x00);
        payload[1] = (byte)(inFrame == 0 && frame % framesPerSecond == 0 ? 0x00 : 0x01);
        return writer.Finish(payload);
    }
}
