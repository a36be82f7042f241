namespace MediaEngine.Rtp;

/// <summary>What a producer sends or a consumer receives: codecs, header extensions, streams and RTCP settings.</summary>
public sealed class RtpParameters
{
    /// <summary>The media section id (MID) of the stream in the client's SDP.</summary>
    public string? Mid { get; set; }

    public List<RtpCodecParameters> Codecs { get; set; } = [];

    public List<RtpHeaderExtensionParameters> HeaderExtensions { get; set; } = [];

    public List<RtpEncodingParameters> Encodings { get; set; } = [];

    public RtcpParameters Rtcp { get; set; } = new();

    /// <summary>The producer's MediaStream and track ids ("stream track"), handed to its consumers for their SDP's a=msid.</summary>
    public string? Msid { get; set; }
}
