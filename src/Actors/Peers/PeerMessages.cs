using System.Text.Json;

namespace Actors.Peers;

/// <summary>From the connection: a client request, to be answered on the same connection.</summary>
public sealed record ClientRequest(int RequestId, IPeerRequest Request);

/// <summary>From the connection: the client's answer to a server request.</summary>
public sealed record ClientResponse(int RequestId, bool Ok, JsonElement? Data, int? ErrorCode, string? ErrorReason);

/// <summary>From the connection: the socket is closed.</summary>
public sealed record ConnectionClosed
{
    public static readonly ConnectionClosed Instance = new();
}

/// <summary>Send a protoo notification to the peer.</summary>
public sealed record NotifyPeer(string Method, JsonData Data) : ISessionMessage;

/// <summary>Send a protoo request to the peer; the sender gets a <see cref="PeerRequestResult"/> carrying <paramref name="Correlation"/>.</summary>
public sealed record RequestPeer(string Method, JsonData Data, string? Correlation = null) : ISessionMessage;

/// <param name="ErrorReason">"request timeout" or "peer closed" when the client never answered.</param>
public sealed record PeerRequestResult(string Method, bool Ok, JsonElement? Data, int? ErrorCode, string? ErrorReason, string? Correlation = null) : ISessionMessage;

/// <summary>
/// The room closes this peer's connection: with protoo-server's 4000 (the client does not retry:
/// replaced, or its transport failed), or with another code after which protoo-client reconnects.
/// </summary>
public sealed record ClosePeer(int Code, string Reason) : ISessionMessage
{
    public static readonly ClosePeer ByServer = new(PeerSessionActor.ServerCloseCode, PeerSessionActor.ServerCloseReason);
}
