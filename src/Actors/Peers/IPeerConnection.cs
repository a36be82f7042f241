using Actors.Rooms;

namespace Actors.Peers;

/// <summary>
/// A peer's signaling connection as the actors see it. Implementations queue and return at
/// once: actors never wait on a socket. The protoo WebSocket is the production one.
/// </summary>
public interface IPeerConnection
{
    void Notify(string method, JsonData data);

    void Request(int requestId, string method, JsonData data);

    void Respond(int requestId, CommandResult result);

    void Close(int code, string reason);
}
