namespace MediaEngine.Dtls;

/// <summary>DTLS state of a transport, as mediasoup reports it in <c>dtlsState</c>.</summary>
public enum DtlsState
{
    New,
    Connecting,
    Connected,
    Failed,
    Closed,
}
