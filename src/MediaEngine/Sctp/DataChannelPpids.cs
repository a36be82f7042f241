namespace MediaEngine.Sctp;

/// <summary>How data channel messages map to PPIDs and SCTP payloads.</summary>
public static class DataChannelPpids
{
    /// <summary>The payload SCTP carries for an empty message (RFC 8831 §6.6).</summary>
    public static ReadOnlySpan<byte> EmptyMessagePayload => [0];

    public static DataChannelPpid ForMessage(bool isBinary, int length) => (isBinary, length) switch
    {
        (true, 0) => DataChannelPpid.BinaryEmpty,
        (true, _) => DataChannelPpid.Binary,
        (false, 0) => DataChannelPpid.StringEmpty,
        (false, _) => DataChannelPpid.String,
    };

    public static bool IsEmptyMessage(uint ppid) => ppid is (uint)DataChannelPpid.StringEmpty or (uint)DataChannelPpid.BinaryEmpty;

    public static bool IsBinary(uint ppid) =>
        ppid is (uint)DataChannelPpid.Binary or (uint)DataChannelPpid.BinaryPartial or (uint)DataChannelPpid.BinaryEmpty;
}
