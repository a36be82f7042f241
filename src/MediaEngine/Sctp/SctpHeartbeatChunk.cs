using System.Buffers.Binary;

namespace MediaEngine.Sctp;

/// <summary>
/// HEARTBEAT or HEARTBEAT-ACK (RFC 9260 §3.3.5, §3.3.6): one Heartbeat Info parameter whose
/// content only the sender interprets; the receiver echoes it back unchanged.
/// </summary>
public readonly ref struct SctpHeartbeatChunk
{
    private SctpHeartbeatChunk(SctpChunkType type, ReadOnlySpan<byte> info)
    {
        Type = type;
        Info = info;
    }

    public SctpChunkType Type { get; }

    public ReadOnlySpan<byte> Info { get; }

    public static bool TryParse(SctpChunk chunk, out SctpHeartbeatChunk heartbeat)
    {
        heartbeat = default;
        if (chunk.Type is not (SctpChunkType.Heartbeat or SctpChunkType.HeartbeatAck))
        {
            return false;
        }

        var parameters = new SctpParameterEnumerator(chunk.Value);
        if (!parameters.MoveNext() || parameters.Current.Type != SctpParameterType.HeartbeatInfo)
        {
            return false;
        }

        heartbeat = new SctpHeartbeatChunk(chunk.Type, parameters.Current.Value);
        return true;
    }

    public static int Write(Span<byte> destination, SctpChunkType type, ReadOnlySpan<byte> info)
    {
        int length = SctpChunk.HeaderLength + SctpParameter.Write(destination[SctpChunk.HeaderLength..], SctpParameterType.HeartbeatInfo, info);
        SctpChunk.WriteHeader(destination, type, 0, length);
        return length;
    }

    public static int LengthFor(int infoLength) => SctpChunk.HeaderLength + SctpParameter.HeaderLength + infoLength;
}
