namespace MediaEngine.Rtp;

public sealed class RtpHeaderExtensionCapability
{
    /// <summary>"audio" or "video".</summary>
    public string Kind { get; set; } = "";

    public string Uri { get; set; } = "";

    public int PreferredId { get; set; }

    public bool PreferredEncrypt { get; set; }

    /// <summary>"sendrecv", "sendonly", "recvonly" or "inactive", from the router's point of view.</summary>
    public string Direction { get; set; } = "sendrecv";
}
