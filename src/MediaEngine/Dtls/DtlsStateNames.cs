namespace MediaEngine.Dtls;

public static class DtlsStateNames
{
    /// <summary>The lower-case name mediasoup uses on the wire: 'new', 'connecting', 'connected', 'failed', 'closed'.</summary>
    public static string ToMediasoupName(this DtlsState state) => state switch
    {
        DtlsState.New => "new",
        DtlsState.Connecting => "connecting",
        DtlsState.Connected => "connected",
        DtlsState.Failed => "failed",
        DtlsState.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown DTLS state."),
    };
}
