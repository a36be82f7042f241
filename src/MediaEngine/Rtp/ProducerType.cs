using System.Text.Json.Serialization;

namespace MediaEngine.Rtp;

/// <summary>How a producer's streams relate to each other; a consumer has its producer's type.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProducerType>))]
public enum ProducerType
{
    /// <summary>One stream with one layer.</summary>
    [JsonStringEnumMemberName("simple")]
    Simple,

    /// <summary>Several independent streams, or one stream with temporal layers of a non-SVC codec (VP8, H.264).</summary>
    [JsonStringEnumMemberName("simulcast")]
    Simulcast,

    /// <summary>One stream with scalable layers of an SVC codec (VP9, H.264-SVC).</summary>
    [JsonStringEnumMemberName("svc")]
    Svc,
}
