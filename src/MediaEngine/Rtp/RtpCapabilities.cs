namespace MediaEngine.Rtp;

public sealed class RtpCapabilities
{
    public List<RtpCodecCapability> Codecs { get; set; } = [];

    public List<RtpHeaderExtensionCapability> HeaderExtensions { get; set; } = [];
}
