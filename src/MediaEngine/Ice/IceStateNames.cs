namespace MediaEngine.Ice;

public static class IceStateNames
{
    /// <summary>The lower-case name mediasoup uses on the wire: 'new', 'connected', 'completed', 'disconnected', 'closed'.</summary>
    public static string ToMediasoupName(this IceState state) => state switch
    {
        IceState.New => "new",
        IceState.Connected => "connected",
        IceState.Completed => "completed",
        IceState.Disconnected => "disconnected",
        IceState.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown ICE state."),
    };
}
