using MediaEngine.Sctp;

namespace MediaEngine.Tests.Sctp;

/// <summary>Builds packets by hand, for what an association would never send itself.</summary>
internal static class SctpTestPackets
{
    public delegate int ChunkWriter(Span<byte> destination);

    public static byte[] Build(uint verificationTag, params ChunkWriter[] chunks)
    {
        var buffer = new byte[2048];
        new SctpCommonHeader(5000, 5000, verificationTag).WriteTo(buffer);
        int length = SctpCommonHeader.Length;
        foreach (var chunk in chunks)
        {
            length += SctpChunk.PaddedLength(chunk(buffer.AsSpan(length)));
        }

        SctpPacketChecksum.Write(buffer.AsSpan(0, length));
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>Changes the verification tag of a packet and fixes its checksum.</summary>
    public static byte[] WithTag(byte[] packet, uint verificationTag)
    {
        var copy = packet.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(4), verificationTag);
        SctpPacketChecksum.Write(copy);
        return copy;
    }

    public static uint TagOf(byte[] packet) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));

    public static SctpChunkType FirstChunkType(byte[] packet) => (SctpChunkType)packet[SctpCommonHeader.Length];
}
