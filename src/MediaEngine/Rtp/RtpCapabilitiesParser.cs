using System.Text.Json;
using static MediaEngine.Rtp.JsonElementReader;

namespace MediaEngine.Rtp;

/// <summary>
/// Validates and normalises RTP capabilities received as JSON (protocol.md §7.2).
/// Absent or null optional fields get their defaults; a field of the wrong JSON type is an error.
/// Errors are <see cref="ArgumentException"/>s whose messages name the offending field.
/// </summary>
public static class RtpCapabilitiesParser
{
    private static readonly HashSet<string> Directions = ["sendrecv", "sendonly", "recvonly", "inactive"];

    public static RtpCapabilities Parse(JsonElement caps)
    {
        RequireObject(caps, "caps");
        return new RtpCapabilities
        {
            Codecs = ParseArray(caps, "codecs", "caps.codecs", ParseCodec),
            HeaderExtensions = ParseArray(caps, "headerExtensions", "caps.headerExtensions", ParseHeaderExtension),
        };
    }

    public static RtpCodecCapability ParseCodec(JsonElement codec)
    {
        RequireObject(codec, "codec");
        var (mimeType, kind) = ParseMimeType(codec);
        return new RtpCodecCapability
        {
            Kind = kind,
            MimeType = mimeType,
            PreferredPayloadType = Optional(codec, "preferredPayloadType") is { } preferredPayloadType
                ? ToInt(preferredPayloadType, "invalid codec.preferredPayloadType")
                : null,
            ClockRate = Optional(codec, "clockRate") is { } clockRate
                ? ToInt(clockRate, "invalid codec.clockRate")
                : throw new ArgumentException("missing codec.clockRate"),
            Channels = kind == "audio" ? ParseAudioChannels(codec) : null,
            Parameters = Optional(codec, "parameters") is { } parameters ? ParseCodecParameters(parameters) : [],
            RtcpFeedback = ParseArray(codec, "rtcpFeedback", "codec.rtcpFeedback", ParseRtcpFeedback),
        };
    }

    /// <summary>Values keep their JSON type: strings as <see cref="string"/>, numbers as <see cref="long"/> or <see cref="double"/>.</summary>
    public static Dictionary<string, object> ParseCodecParameters(JsonElement parameters)
    {
        RequireObject(parameters, "codec.parameters");
        var result = new Dictionary<string, object>();
        foreach (var property in parameters.EnumerateObject())
        {
            var parsed = ToScalar(property.Value) ?? throw new ArgumentException(
                $"invalid codec parameter [key:{property.Name}, value:{property.Value.GetRawText()}]: must be a string or a number");
            if (property.Name == "apt" && parsed is string)
            {
                throw new ArgumentException("invalid codec apt parameter: must be a number");
            }

            result[property.Name] = parsed;
        }

        return result;
    }

    public static RtcpFeedback ParseRtcpFeedback(JsonElement feedback)
    {
        RequireObject(feedback, "fb");
        var type = Optional(feedback, "type") is { ValueKind: JsonValueKind.String } typeElement
                   && typeElement.GetString() is { Length: > 0 } typeValue
            ? typeValue
            : throw new ArgumentException("missing fb.type");
        var parameter = Optional(feedback, "parameter") is { } parameterElement
            ? parameterElement.ValueKind == JsonValueKind.String
                ? parameterElement.GetString()!
                : throw new ArgumentException("invalid fb.parameter: must be a string")
            : "";
        return new RtcpFeedback(type, parameter);
    }

    public static RtpHeaderExtensionCapability ParseHeaderExtension(JsonElement extension)
    {
        RequireObject(extension, "ext");
        var kind = Optional(extension, "kind") is { ValueKind: JsonValueKind.String } kindElement
                   && kindElement.GetString() is "audio" or "video"
            ? kindElement.GetString()!
            : throw new ArgumentException("invalid ext.kind: must be \"audio\" or \"video\"");
        var uri = Optional(extension, "uri") is { ValueKind: JsonValueKind.String } uriElement
                  && uriElement.GetString() is { Length: > 0 } uriValue
            ? uriValue
            : throw new ArgumentException("missing ext.uri");
        var preferredId = Optional(extension, "preferredId") is { } preferredIdElement
            ? ToInt(preferredIdElement, "invalid ext.preferredId")
            : throw new ArgumentException("missing ext.preferredId");
        var preferredEncrypt = Optional(extension, "preferredEncrypt") is { } encryptElement
            && ToBool(encryptElement, "invalid ext.preferredEncrypt");
        var direction = Optional(extension, "direction") is { } directionElement
            ? directionElement.ValueKind == JsonValueKind.String && Directions.Contains(directionElement.GetString()!)
                ? directionElement.GetString()!
                : throw new ArgumentException($"invalid ext.direction {directionElement.GetRawText()}")
            : "sendrecv";
        return new RtpHeaderExtensionCapability
        {
            Kind = kind,
            Uri = uri,
            PreferredId = preferredId,
            PreferredEncrypt = preferredEncrypt,
            Direction = direction,
        };
    }

    private static int? ParseAudioChannels(JsonElement codec) =>
        Optional(codec, "channels") is { } channels ? ToInt(channels, "invalid codec.channels") : 1;
}
