using Actors.Peers;

namespace Actors.Rooms;

/// <summary>
/// The answer to a command, independent of the wire: protoo turns it into a response
/// (errorCode = <see cref="CommandFailure.Code"/>), the HTTP API into a status code and a
/// body "ErrorName: message" as mediasoup-demo's Express error handler writes it.
/// </summary>
public abstract record CommandResult : ISessionMessage
{
    /// <param name="data">The answer's data: an object serialized as protoo JSON, or a <see cref="JsonData"/> as it is.</param>
    public static CommandSuccess Ok(object? data = null) => new(data is null ? null : JsonData.Of(data));

    /// <summary>A plain-text answer (HTTP API only: mediasoup-demo's res.send(text)).</summary>
    public static CommandSuccess Text(string text) => new(null) { PlainText = text };

    /// <summary>An engine or state error: protoo 500, HTTP 500.</summary>
    public static CommandFailure Error(string message) => new(500, "Error", message);

    /// <summary>A malformed request: protoo 500, HTTP 400.</summary>
    public static CommandFailure TypeError(string message) => new(400, "TypeError", message);

    public static CommandFailure NotFound(string message) => new(404, "Error", message);

    /// <summary>No valid access token: HTTP 401.</summary>
    public static CommandFailure Unauthorized(string message) => new(401, "Error", message);

    public static CommandFailure Forbidden(string message) => new(403, "Error", message);

    /// <summary>A client over its rate: protoo 429, HTTP 429.</summary>
    public static CommandFailure TooManyRequests(string message) => new(429, "Error", message);

    /// <summary>The server or the room is at its capacity: protoo 503, HTTP 503.</summary>
    public static CommandFailure Unavailable(string message) => new(503, "Error", message);
}

public sealed record CommandSuccess(JsonData? Data) : CommandResult
{
    public string? PlainText { get; init; }
}

/// <param name="Code">HTTP status for the HTTP API; protoo uses it for 403, 429 and 503 and answers 500 otherwise.</param>
public sealed record CommandFailure(int Code, string ErrorName, string Message) : CommandResult
{
    public int ProtooErrorCode => Code is 403 or 429 or 503 ? Code : 500;
}
