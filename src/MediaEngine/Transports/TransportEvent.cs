namespace MediaEngine.Transports;

public enum TransportEventKind
{
    IceStateChange,
    IceSelectedTupleChange,
    DtlsStateChange,
}

/// <summary>
/// What a transport tells its owner (mediasoup's icestatechange, iceselectedtuplechange,
/// dtlsstatechange). Raised on the worker thread: owners hand it to their own thread.
/// </summary>
public sealed record TransportEvent(string TransportId, TransportEventKind Kind, string Value, string? Detail = null);
