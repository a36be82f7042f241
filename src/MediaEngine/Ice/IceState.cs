namespace MediaEngine.Ice;

/// <summary>ICE state of a transport, as mediasoup reports it in <c>iceState</c>.</summary>
public enum IceState
{
    New,
    Connected,
    Completed,
    Disconnected,
    Closed,
}
