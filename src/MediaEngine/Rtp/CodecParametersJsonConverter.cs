using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaEngine.Rtp;

/// <summary>
/// Reads codec parameter values as <see cref="string"/>, <see cref="long"/> or <see cref="double"/>
/// instead of <see cref="JsonElement"/>, so deserialized parameters compare like parsed ones.
/// </summary>
public sealed class CodecParametersJsonConverter : JsonConverter<Dictionary<string, object>>
{
    public override Dictionary<string, object> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("codec parameters must be a JSON object");
        }

        var parameters = new Dictionary<string, object>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            parameters[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number when reader.TryGetInt64(out var integer) => integer,
                JsonTokenType.Number => reader.GetDouble(),
                _ => throw new JsonException($"codec parameter \"{key}\" must be a string or a number"),
            };
        }

        return parameters;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, object> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, parameterValue) in value)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, parameterValue, parameterValue.GetType(), options);
        }

        writer.WriteEndObject();
    }
}
