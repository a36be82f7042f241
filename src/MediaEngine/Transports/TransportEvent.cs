namespace MediaEngine.Transports;

public enum TransportEventKind
{
    IceStateChange,
    IceSelectedTupleChange,
    DtlsStateChange,

    /// <summary>A plain transport's remote RTP address became known (comedia or connect).</summary>
    Tuple,

    /// <summary>A plain transport's remote RTCP address became known (rtcpMux off).</summary>
    RtcpTuple,
}

/// <summary>
/// What a transport tells its owner (mediasoup's icestatechange, iceselectedtuplechange,
/// dtlsstatechange, and a plain transport's tuple and rtcptuple). Raised on the worker thread: owners hand it to their own thread.
/// </summary>
public sealed record TransportEvent(string TransportId, TransportEventKind Kind, string Value, string? Detail = null);
