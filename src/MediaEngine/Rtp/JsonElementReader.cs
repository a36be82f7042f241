using System.Text.Json;
using System.Text.RegularExpressions;

namespace MediaEngine.Rtp;

/// <summary>
/// Strict field readers shared by the parsers of RTP JSON received from clients: absent and null
/// mean "not given", a value of the wrong JSON type is an <see cref="ArgumentException"/>.
/// </summary>
internal static partial class JsonElementReader
{
    /// <summary>The property's value, or null when it is absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement owner, string propertyName) =>
        owner.TryGetProperty(propertyName, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static void RequireObject(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"{name} is not an object");
        }
    }

    public static List<T> ParseArray<T>(JsonElement owner, string propertyName, string path, Func<JsonElement, T> parseItem)
    {
        if (Optional(owner, propertyName) is not { } array)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException($"{path} is not an array");
        }

        return [.. array.EnumerateArray().Select(parseItem)];
    }

    public static int ToInt(JsonElement value, string error) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result)
            ? result
            : throw new ArgumentException($"{error}: {value.GetRawText()} is not an integer");

    public static uint ToUInt(JsonElement value, string error) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var result)
            ? result
            : throw new ArgumentException($"{error}: {value.GetRawText()} is not a 32-bit unsigned integer");

    public static double ToDouble(JsonElement value, string error) =>
        value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new ArgumentException($"{error}: {value.GetRawText()} is not a number");

    public static bool ToBool(JsonElement value, string error) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ArgumentException($"{error}: {value.GetRawText()} is not a boolean"),
    };

    public static string ToText(JsonElement value, string error) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ArgumentException($"{error}: {value.GetRawText()} is not a string");

    /// <summary>A string or number as <see cref="string"/>, <see cref="long"/> or <see cref="double"/>; null for anything else.</summary>
    public static object? ToScalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number when value.TryGetInt64(out var integer) => integer,
        JsonValueKind.Number => value.GetDouble(),
        _ => null,
    };

    /// <summary>Reads <c>codec.mimeType</c> and returns it with its lowercased media kind.</summary>
    public static (string MimeType, string Kind) ParseMimeType(JsonElement codec)
    {
        var mimeType = Optional(codec, "mimeType") is { ValueKind: JsonValueKind.String } mimeTypeElement
            ? mimeTypeElement.GetString()!
            : throw new ArgumentException("missing codec.mimeType");
        var mimeTypeMatch = MimeTypeRegex().Match(mimeType);
        if (!mimeTypeMatch.Success)
        {
            throw new ArgumentException($"invalid codec.mimeType \"{mimeType}\"");
        }

        return (mimeType, mimeTypeMatch.Groups[1].Value.ToLowerInvariant());
    }

    [GeneratedRegex("^(audio|video)/.+", RegexOptions.IgnoreCase)]
    private static partial Regex MimeTypeRegex();
}
