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

/// <summary>
/// Server shutdown: stop every room without recording its peers as gone (their sockets are
/// about to be closed by the server, not by them), so a restart brings the rooms back as
/// they were. Answered with <see cref="RoomsStopped"/> once all room actors have stopped.
/// </summary>
public sealed record StopAllRooms
{
    public static readonly StopAllRooms Instance = new();
}

public sealed record RoomsStopped
{
    public static readonly RoomsStopped Instance = new();
}
