using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MediaEngine.Rtp;

/// <summary>JSON settings matching the wire format of mediasoup's RTP types.</summary>
public static class RtpJson
{
    /// <summary>camelCase property names, null properties omitted; read-only.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static JsonNode ToJsonNode<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options)
        ?? throw new ArgumentException("value serializes to JSON null");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
