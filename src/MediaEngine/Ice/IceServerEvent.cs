using System.Net;

namespace MediaEngine.Ice;

/// <summary>
/// A change the owner of an <see cref="IceLiteServer"/> must react to, in the order it happened.
/// <see cref="State"/> is the server state once the change was made (the new state for
/// <see cref="IceServerEventKind.StateChanged"/>); <see cref="Tuple"/> is set for tuple events.
/// </summary>
public readonly record struct IceServerEvent(IceServerEventKind Kind, IceState State, IPEndPoint? Tuple);
