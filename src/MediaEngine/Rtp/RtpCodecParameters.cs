using System.Text.Json.Serialization;

namespace MediaEngine.Rtp;

/// <summary>A codec as used by one producer or consumer, with its negotiated payload type.</summary>
public sealed class RtpCodecParameters : IRtpCodec
{
    public string MimeType { get; set; } = "";

    public int PayloadType { get; set; }

    public int ClockRate { get; set; }

    /// <summary>Audio only; absent for video.</summary>
    public int? Channels { get; set; }

    [JsonConverter(typeof(CodecParametersJsonConverter))]
    public Dictionary<string, object> Parameters { get; set; } = [];

    public List<RtcpFeedback> RtcpFeedback { get; set; } = [];

    public RtpCodecParameters Clone() => new()
    {
        MimeType = MimeType,
        PayloadType = PayloadType,
        ClockRate = ClockRate,
        Channels = Channels,
        // Parameter values and feedback entries are immutable, so copying the containers is a deep copy.
        Parameters = new Dictionary<string, object>(Parameters),
        RtcpFeedback = [.. RtcpFeedback],
    };
}
