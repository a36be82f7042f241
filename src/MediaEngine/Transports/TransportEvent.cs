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

    /// <summary>mediasoup's 'bwe' trace (direction out): <see cref="TransportEvent.Bandwidth"/> carries the figures.</summary>
    Bwe,
}

/// <summary>The outgoing bandwidth figures of a 'bwe' trace, bits per second.</summary>
public sealed record BandwidthTrace(uint DesiredBitrate, uint EffectiveDesiredBitrate, uint AvailableBitrate);

/// <summary>
/// What a transport tells its owner (mediasoup's icestatechange, iceselectedtuplechange,
/// dtlsstatechange, a plain transport's tuple and rtcptuple, the 'bwe' trace). Raised on the worker thread: owners hand it to their own thread.
/// </summary>
public sealed record TransportEvent(string TransportId, TransportEventKind Kind, string Value, string? Detail = null)
{
    public BandwidthTrace? Bandwidth { get; init; }

    /// <summary>Raised while this side closes the transport (its owner, its router or its worker), not because of the remote.</summary>
    public bool WhileClosing { get; init; }
}
