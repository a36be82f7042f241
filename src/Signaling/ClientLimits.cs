using System.Text.Json;

namespace Signaling;

/// <summary>What one client may cost (server.client-limits): the sizes a protoo or HTTP client controls.</summary>
/// <param name="MaxMessageBytes">A protoo message over this closes the connection (1009); an HTTP body over it is refused (413).</param>
/// <param name="SendQueueBytes">Frames waiting for a peer that does not read, beyond this, abort its connection.</param>
/// <param name="IdMaxLength">roomId, peerId, a broadcaster's id and the ids a request names (transportId, producerId, …).</param>
/// <param name="TextMaxLength">displayName, and a data producer's label and protocol.</param>
/// <param name="SmallJsonMaxBytes">device and appData, as JSON.</param>
/// <param name="LargeJsonMaxBytes">rtpCapabilities, rtpParameters and the other parameter objects, as JSON.</param>
/// <param name="RequestsPerSecond">protoo requests one connection may send per second, sustained; beyond, answered with an error (0: no limit).</param>
/// <param name="RequestBurst">protoo requests one connection may send at once, above the sustained rate.</param>
/// <param name="ConnectionsPerAddress">Open protoo connections from one remote address; beyond, the WebSocket is refused with 429 (0: no limit).</param>
/// <param name="HttpRequestsPerSecond">HTTP requests per second from one remote address, with as many at once; beyond, 429 (0: no limit).</param>
/// <param name="HistoryPageMax">Events in one page of GET /rooms/:roomId/history (its limit parameter, and its default).</param>
public sealed record ClientLimits(
    int MaxMessageBytes = 960_000,
    long SendQueueBytes = 8 * 1024 * 1024,
    int IdMaxLength = 128,
    int TextMaxLength = 256,
    int SmallJsonMaxBytes = 4096,
    int LargeJsonMaxBytes = 65_536,
    int RequestsPerSecond = 50,
    int RequestBurst = 200,
    int ConnectionsPerAddress = 100,
    int HttpRequestsPerSecond = 100,
    int HistoryPageMax = 1000)
{
    /// <summary>The rate limit of one connection's requests, or null without one.</summary>
    public TokenBucket? NewRequestLimit() => RequestsPerSecond > 0 ? new TokenBucket(RequestsPerSecond, Math.Max(1, RequestBurst)) : null;

    /// <summary>A room or peer id the server accepts: 1 to <see cref="IdMaxLength"/> characters, none a control character or a slash.</summary>
    public bool IsValidId(string id) =>
        id.Length is > 0 && id.Length <= IdMaxLength && !id.Any(c => char.IsControl(c) || c is '/' or '\\');

    /// <summary>
    /// Every top-level field of a request or body within its limit: ids (id, …Id), texts (displayName,
    /// label, protocol, …), the small objects (device, appData) and the parameter objects, as JSON.
    /// </summary>
    /// <exception cref="ArgumentException">A field is larger than its limit.</exception>
    public void CheckFields(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
            return;
        foreach (var field in data.EnumerateObject())
        {
            switch (field.Value.ValueKind)
            {
                case JsonValueKind.String:
                    var maxLength = field.Name == "id" || field.Name.EndsWith("Id", StringComparison.Ordinal) ? IdMaxLength : TextMaxLength;
                    if (field.Value.GetString()!.Length > maxLength)
                        throw new ArgumentException($"{field.Name} longer than {maxLength} characters");
                    break;
                case JsonValueKind.Object or JsonValueKind.Array:
                    var maxBytes = field.Name is "device" or "appData" ? SmallJsonMaxBytes : LargeJsonMaxBytes;
                    if (field.Value.GetRawText().Length > maxBytes)
                        throw new ArgumentException($"{field.Name} larger than {maxBytes} bytes");
                    break;
            }
        }
    }
}
