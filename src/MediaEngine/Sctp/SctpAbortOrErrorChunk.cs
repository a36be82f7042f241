namespace MediaEngine.Sctp;

/// <summary>
/// ABORT (RFC 9260 §3.3.7) or ERROR (§3.3.10): a list of error causes. The T bit of an ABORT says
/// its verification tag is the sender's own (reflected) rather than the receiver's.
/// </summary>
public readonly ref struct SctpAbortOrErrorChunk
{
    public const byte TagReflectedFlag = 0x01;

    private SctpAbortOrErrorChunk(SctpChunkType type, bool isTagReflected, ReadOnlySpan<byte> causes)
    {
        Type = type;
        IsTagReflected = isTagReflected;
        Causes = causes;
    }

    public SctpChunkType Type { get; }

    public bool IsTagReflected { get; }

    public ReadOnlySpan<byte> Causes { get; }

    public static bool TryParse(SctpChunk chunk, out SctpAbortOrErrorChunk abort)
    {
        abort = default;
        if (chunk.Type is not (SctpChunkType.Abort or SctpChunkType.Error))
        {
            return false;
        }

        var causes = new SctpParameterEnumerator(chunk.Value);
        while (causes.MoveNext())
        {
        }

        if (causes.IsMalformed)
        {
            return false;
        }

        abort = new SctpAbortOrErrorChunk(chunk.Type, chunk.Type == SctpChunkType.Abort && (chunk.Flags & TagReflectedFlag) != 0, chunk.Value);
        return true;
    }

    /// <summary>Writes an ABORT or ERROR with one cause.</summary>
    public static int Write(
        Span<byte> destination, SctpChunkType type, bool isTagReflected, SctpErrorCauseCode code, ReadOnlySpan<byte> information)
    {
        int length = SctpChunk.HeaderLength + SctpErrorCause.Write(destination[SctpChunk.HeaderLength..], code, information);
        SctpChunk.WriteHeader(destination, type, isTagReflected ? TagReflectedFlag : (byte)0, length);
        return length;
    }

    public static int LengthFor(int informationLength) => SctpChunk.HeaderLength + SctpErrorCause.HeaderLength + informationLength;
}
