using System.Text.Json.Serialization;

namespace MediaEngine.Rtp;

/// <summary>A header extension as used by one producer or consumer, with its negotiated id.</summary>
public sealed class RtpHeaderExtensionParameters
{
    public string Uri { get; set; } = "";

    public int Id { get; set; }

    public bool Encrypt { get; set; }

    /// <summary>Values are <see cref="string"/>, <see cref="long"/> or <see cref="double"/>.</summary>
    [JsonConverter(typeof(CodecParametersJsonConverter))]
    public Dictionary<string, object> Parameters { get; set; } = [];

    public RtpHeaderExtensionParameters Clone() => new()
    {
        Uri = Uri,
        Id = Id,
        Encrypt = Encrypt,
        Parameters = new Dictionary<string, object>(Parameters),
    };
}
