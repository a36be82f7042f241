using System.Text.Json;
using System.Text.Unicode;

namespace Signaling.Protoo;

/// <summary>A protoo frame received from a peer (protocol.md §1.3).</summary>
public abstract record ProtooMessage
{
    /// <summary>
    /// Classifies by truthiness of request, then response, then notification; anything else
    /// (invalid UTF-8 or JSON, non-objects, a request without a numeric id or a string method) is
    /// null: protoo drops it silently. (JSON strings are read lazily: invalid UTF-8 inside one would
    /// throw wherever it is first read, so the whole frame is checked here.)
    /// </summary>
    /// <param name="utf8">A received frame; the message does not refer to it once parsed.</param>
    public static ProtooMessage? Parse(ReadOnlyMemory<byte> utf8)
    {
        if (!Utf8.IsValid(utf8.Span))
            return null;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(utf8);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
            return null;

        if (WireJson.IsTruthyProperty(root, "request"))
        {
            return TryGetId(root, out var id) && TryGetMethod(root, out var method)
                ? new ProtooRequest(id, method, DataOf(root))
                : null;
        }
        if (WireJson.IsTruthyProperty(root, "response"))
        {
            if (!TryGetId(root, out var id))
                return null;
            if (WireJson.IsTruthyProperty(root, "ok"))
                return new ProtooResponse(id, true, DataOf(root), null, null);
            int? errorCode = root.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var c) ? c : null;
            var reason = root.TryGetProperty("errorReason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return new ProtooResponse(id, false, null, errorCode, reason);
        }
        if (WireJson.IsTruthyProperty(root, "notification"))
            return TryGetMethod(root, out var method) ? new ProtooNotification(method, DataOf(root)) : null;
        return null;
    }

    private static bool TryGetId(JsonElement root, out int id)
    {
        id = 0;
        return root.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out id);
    }

    private static bool TryGetMethod(JsonElement root, out string method)
    {
        method = "";
        if (!root.TryGetProperty("method", out var value) || value.ValueKind != JsonValueKind.String)
            return false;
        method = value.GetString()!;
        return true;
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static JsonElement DataOf(JsonElement root) =>
        root.TryGetProperty("data", out var data) && WireJson.IsTruthy(data) ? data : EmptyObject;
}

public sealed record ProtooRequest(int Id, string Method, JsonElement Data) : ProtooMessage;

public sealed record ProtooResponse(int Id, bool Ok, JsonElement? Data, int? ErrorCode, string? ErrorReason) : ProtooMessage;

public sealed record ProtooNotification(string Method, JsonElement Data) : ProtooMessage;
