using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;

namespace Actors.Tests;

public sealed record Notified(string Method, JsonData Data);
public sealed record Requested(int RequestId, string Method, JsonData Data);
public sealed record Responded(int RequestId, CommandResult Result);
public sealed record ClosedWith(int Code, string Reason);

/// <summary>A peer connection that reports what the actors send to it to a test probe.</summary>
public sealed class RecordingConnection(IActorRef probe) : IPeerConnection
{
    public void Notify(string method, JsonData data) => probe.Tell(new Notified(method, data));

    public void Request(int requestId, string method, JsonData data) => probe.Tell(new Requested(requestId, method, data));

    public void Respond(int requestId, CommandResult result) => probe.Tell(new Responded(requestId, result));

    public void Close(int code, string reason) => probe.Tell(new ClosedWith(code, reason));
}
