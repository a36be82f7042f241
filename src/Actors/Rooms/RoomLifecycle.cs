namespace Actors.Rooms;

/// <summary>Room → manager: the room closed; it stops once the manager confirms with <see cref="StopIfIdle"/>.</summary>
public sealed record RoomIdle(string RoomId);

/// <summary>
/// Manager → room. The manager holds new connections for the room meanwhile, so a connection
/// racing the close either reaches the open room or a fresh one, never a dying one.
/// </summary>
public sealed record StopIfIdle
{
    public static readonly StopIfIdle Instance = new();
}

/// <summary>Room → manager: a connection arrived before <see cref="StopIfIdle"/>; the room stays.</summary>
public sealed record RoomActive(string RoomId);
