namespace MediaEngine.Sctp;

/// <summary>
/// RE-CONFIG (RFC 6525 §3.1): one or two re-configuration parameters, read with
/// <see cref="SctpParameterEnumerator"/> over <see cref="Parameters"/>.
/// </summary>
public readonly ref struct SctpReConfigChunk
{
    private SctpReConfigChunk(ReadOnlySpan<byte> parameters)
    {
        Parameters = parameters;
    }

    public ReadOnlySpan<byte> Parameters { get; }

    public static bool TryParse(SctpChunk chunk, out SctpReConfigChunk reConfig)
    {
        reConfig = default;
        if (chunk.Type != SctpChunkType.ReConfig || chunk.Value.IsEmpty)
        {
            return false;
        }

        var parameters = new SctpParameterEnumerator(chunk.Value);
        while (parameters.MoveNext())
        {
        }

        if (parameters.IsMalformed)
        {
            return false;
        }

        reConfig = new SctpReConfigChunk(chunk.Value);
        return true;
    }

    /// <summary>Writes the chunk header in front of <paramref name="parametersLength"/> bytes of parameters already written after it.</summary>
    public static int WriteHeader(Span<byte> destination, int parametersLength)
    {
        int length = SctpChunk.HeaderLength + parametersLength;
        SctpChunk.WriteHeader(destination, SctpChunkType.ReConfig, 0, length);
        return length;
    }
}
