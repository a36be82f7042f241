namespace MediaEngine.Rtp;

public sealed record RtcpParameters
{
    /// <summary>The canonical name shared by all streams of one endpoint.</summary>
    public string? Cname { get; init; }

    /// <summary>Whether reduced-size RTCP (RFC 5506) is used.</summary>
    public bool ReducedSize { get; init; } = true;
}
