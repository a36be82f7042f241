namespace MediaEngine.Sctp;

/// <summary>COOKIE-ECHO (RFC 9260 §3.3.11): the State Cookie of the INIT-ACK, sent back unchanged.</summary>
public readonly ref struct SctpCookieEchoChunk
{
    private SctpCookieEchoChunk(ReadOnlySpan<byte> cookie)
    {
        Cookie = cookie;
    }

    public ReadOnlySpan<byte> Cookie { get; }

    public static bool TryParse(SctpChunk chunk, out SctpCookieEchoChunk cookieEcho)
    {
        if (chunk.Type != SctpChunkType.CookieEcho || chunk.Value.IsEmpty)
        {
            cookieEcho = default;
            return false;
        }

        cookieEcho = new SctpCookieEchoChunk(chunk.Value);
        return true;
    }

    public static int Write(Span<byte> destination, ReadOnlySpan<byte> cookie)
    {
        int length = SctpChunk.HeaderLength + cookie.Length;
        SctpChunk.WriteHeader(destination, SctpChunkType.CookieEcho, 0, length);
        cookie.CopyTo(destination[SctpChunk.HeaderLength..]);
        return length;
    }
}
