using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Signaling;

/// <summary>Reading protoo frames as protoo does (JavaScript truthiness); writing is <see cref="Actors.Peers.JsonData.Options"/>.</summary>
public static class WireJson
{
    /// <summary>JavaScript truthiness of a JSON value, as protoo classifies messages.</summary>
    public static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.Object or JsonValueKind.Array => true,
        JsonValueKind.Number => value.GetDouble() != 0,
        JsonValueKind.String => value.GetString()!.Length > 0,
        _ => false,
    };

    public static bool IsTruthyProperty(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && IsTruthy(value);
}
