using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Actors.Peers;

/// <summary>
/// Data a room sends to its peers (a protoo request's, response's or notification's data),
/// serialized once as the room decides it: however many peers it goes to, and across a network,
/// it stays these UTF-8 bytes, which the connection writes into each frame as they are.
/// </summary>
public sealed class JsonData : IEquatable<JsonData>
{
    /// <summary>JSON as mediasoup-demo's clients expect it: camelCase, unset fields absent.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonData EmptyObject = new("{}"u8.ToArray());

    private readonly byte[] _utf8;

    /// <param name="utf8">One JSON value, UTF-8; the caller hands it over (no copy is made).</param>
    public JsonData(byte[] utf8) => _utf8 = utf8;

    public ReadOnlyMemory<byte> Utf8 => _utf8;

    public static JsonData Of(object value) => value as JsonData ?? new JsonData(JsonSerializer.SerializeToUtf8Bytes(value, Options));

    public JsonElement ToElement()
    {
        using var document = JsonDocument.Parse(_utf8);
        return document.RootElement.Clone();
    }

    public bool Equals(JsonData? other) => other is not null && _utf8.AsSpan().SequenceEqual(other._utf8);

    public override bool Equals(object? obj) => Equals(obj as JsonData);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_utf8);
        return hash.ToHashCode();
    }

    public override string ToString() => Encoding.UTF8.GetString(_utf8);
}
