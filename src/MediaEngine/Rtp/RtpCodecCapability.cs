using System.Text.Json.Serialization;

namespace MediaEngine.Rtp;

public sealed class RtpCodecCapability : IRtpCodec
{
    /// <summary>"audio" or "video".</summary>
    public string Kind { get; set; } = "";

    public string MimeType { get; set; } = "";

    public int? PreferredPayloadType { get; set; }

    public int ClockRate { get; set; }

    /// <summary>Audio only; absent for video.</summary>
    public int? Channels { get; set; }

    [JsonConverter(typeof(CodecParametersJsonConverter))]
    public Dictionary<string, object> Parameters { get; set; } = [];

    public List<RtcpFeedback> RtcpFeedback { get; set; } = [];

    public RtpCodecCapability Clone() => new()
    {
        Kind = Kind,
        MimeType = MimeType,
        PreferredPayloadType = PreferredPayloadType,
        ClockRate = ClockRate,
        Channels = Channels,
        // Parameter values and feedback entries are immutable, so copying the containers is a deep copy.
        Parameters = new Dictionary<string, object>(Parameters),
        RtcpFeedback = [.. RtcpFeedback],
    };
}
