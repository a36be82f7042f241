using System.Text.Json;
using static MediaEngine.Rtp.JsonElementReader;

namespace MediaEngine.Rtp;

/// <summary>
/// Validates and normalises RTP parameters received as JSON (protocol.md §7.2), e.g. in <c>produce</c>.
/// Absent or null optional fields get their defaults; a field of the wrong JSON type is an error.
/// Fields the media engine does not know are dropped. Errors are <see cref="ArgumentException"/>s
/// whose messages name the offending field.
/// </summary>
public static class RtpParametersParser
{
    public static RtpParameters Parse(JsonElement parameters)
    {
        RequireObject(parameters, "params");
        if (Optional(parameters, "codecs") is not { ValueKind: JsonValueKind.Array })
        {
            throw new ArgumentException("missing params.codecs");
        }

        return new RtpParameters
        {
            Mid = Optional(parameters, "mid") is { } mid ? ToText(mid, "invalid params.mid") : null,
            Codecs = ParseArray(parameters, "codecs", "params.codecs", ParseCodec),
            HeaderExtensions = ParseArray(parameters, "headerExtensions", "params.headerExtensions", ParseHeaderExtension),
            Encodings = ParseArray(parameters, "encodings", "params.encodings", ParseEncoding),
            Rtcp = Optional(parameters, "rtcp") is { } rtcp ? ParseRtcp(rtcp) : new RtcpParameters(),
            Msid = Optional(parameters, "msid") is { } msid ? ToText(msid, "invalid params.msid") : null,
        };
    }

    public static RtpCodecParameters ParseCodec(JsonElement codec)
    {
        RequireObject(codec, "codec");
        var (mimeType, kind) = ParseMimeType(codec);
        return new RtpCodecParameters
        {
            MimeType = mimeType,
            PayloadType = Optional(codec, "payloadType") is { } payloadType
                ? ToInt(payloadType, "invalid codec.payloadType")
                : throw new ArgumentException("missing codec.payloadType"),
            ClockRate = Optional(codec, "clockRate") is { } clockRate
                ? ToInt(clockRate, "invalid codec.clockRate")
                : throw new ArgumentException("missing codec.clockRate"),
            Channels = kind == "audio"
                ? Optional(codec, "channels") is { } channels ? ToInt(channels, "invalid codec.channels") : 1
                : null,
            Parameters = Optional(codec, "parameters") is { } codecParameters
                ? RtpCapabilitiesParser.ParseCodecParameters(codecParameters)
                : [],
            RtcpFeedback = ParseArray(codec, "rtcpFeedback", "codec.rtcpFeedback", RtpCapabilitiesParser.ParseRtcpFeedback),
        };
    }

    public static RtpHeaderExtensionParameters ParseHeaderExtension(JsonElement extension)
    {
        RequireObject(extension, "ext");
        var uri = Optional(extension, "uri") is { ValueKind: JsonValueKind.String } uriElement
                  && uriElement.GetString() is { Length: > 0 } uriValue
            ? uriValue
            : throw new ArgumentException("missing ext.uri");
        var id = Optional(extension, "id") is { } idElement
            ? ToInt(idElement, "invalid ext.id")
            : throw new ArgumentException("missing ext.id");
        if (id == 0)
        {
            throw new ArgumentException($"invalid ext.id [uri:{uri}]: RTP extension id cannot be 0");
        }

        return new RtpHeaderExtensionParameters
        {
            Uri = uri,
            Id = id,
            Encrypt = Optional(extension, "encrypt") is { } encrypt && ToBool(encrypt, "invalid ext.encrypt"),
            Parameters = Optional(extension, "parameters") is { } parameters ? ParseHeaderExtensionParameters(parameters) : [],
        };
    }

    public static RtpEncodingParameters ParseEncoding(JsonElement encoding)
    {
        RequireObject(encoding, "encoding");
        return new RtpEncodingParameters
        {
            Ssrc = Optional(encoding, "ssrc") is { } ssrc ? ToUInt(ssrc, "invalid encoding.ssrc") : null,
            Rid = Optional(encoding, "rid") is { } rid ? ToText(rid, "invalid encoding.rid") : null,
            CodecPayloadType = Optional(encoding, "codecPayloadType") is { } codecPayloadType
                ? ToInt(codecPayloadType, "invalid encoding.codecPayloadType")
                : null,
            Rtx = Optional(encoding, "rtx") is { } rtx ? ParseRtx(rtx) : null,
            Dtx = Optional(encoding, "dtx") is { } dtx && ToBool(dtx, "invalid encoding.dtx"),
            ScalabilityMode = Optional(encoding, "scalabilityMode") is { } scalabilityMode
                ? ToText(scalabilityMode, "invalid encoding.scalabilityMode")
                : null,
            ScaleResolutionDownBy = Optional(encoding, "scaleResolutionDownBy") is { } scaleResolutionDownBy
                ? ToDouble(scaleResolutionDownBy, "invalid encoding.scaleResolutionDownBy")
                : null,
            MaxBitrate = Optional(encoding, "maxBitrate") is { } maxBitrate
                ? ToUInt(maxBitrate, "invalid encoding.maxBitrate")
                : null,
            MaxFramerate = Optional(encoding, "maxFramerate") is { } maxFramerate
                ? ToDouble(maxFramerate, "invalid encoding.maxFramerate")
                : null,
            AdaptivePtime = Optional(encoding, "adaptivePtime") is { } adaptivePtime
                ? ToBool(adaptivePtime, "invalid encoding.adaptivePtime")
                : null,
            Priority = Optional(encoding, "priority") is { } priority ? ToText(priority, "invalid encoding.priority") : null,
            NetworkPriority = Optional(encoding, "networkPriority") is { } networkPriority
                ? ToText(networkPriority, "invalid encoding.networkPriority")
                : null,
            Active = Optional(encoding, "active") is { } active ? ToBool(active, "invalid encoding.active") : null,
        };
    }

    public static RtcpParameters ParseRtcp(JsonElement rtcp)
    {
        RequireObject(rtcp, "params.rtcp");
        return new RtcpParameters
        {
            Cname = Optional(rtcp, "cname") is { } cname ? ToText(cname, "invalid rtcp.cname") : null,
            ReducedSize = Optional(rtcp, "reducedSize") is not { } reducedSize || ToBool(reducedSize, "invalid rtcp.reducedSize"),
        };
    }

    private static RtpRtxParameters ParseRtx(JsonElement rtx)
    {
        RequireObject(rtx, "encoding.rtx");
        return Optional(rtx, "ssrc") is { } ssrc
            ? new RtpRtxParameters(ToUInt(ssrc, "invalid encoding.rtx.ssrc"))
            : throw new ArgumentException("missing encoding.rtx.ssrc");
    }

    private static Dictionary<string, object> ParseHeaderExtensionParameters(JsonElement parameters)
    {
        RequireObject(parameters, "ext.parameters");
        return parameters.EnumerateObject().ToDictionary(
            property => property.Name,
            property => ToScalar(property.Value) ?? throw new ArgumentException(
                $"invalid header extension parameter [key:{property.Name}, value:{property.Value.GetRawText()}]: must be a string or a number"));
    }
}
