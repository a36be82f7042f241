namespace MediaEngine.Net;

/// <summary>
/// What a link does to the datagrams of one direction: at most <see cref="BitsPerSecond"/> (0: no
/// limit), each delayed by <see cref="Delay"/>, a share <see cref="Loss"/> (0–1) dropped at random.
/// </summary>
public sealed record NetworkShape(long BitsPerSecond, TimeSpan Delay, double Loss)
{
    /// <summary>
    /// mediasoup-demo's applyNetworkThrottle parameters (uplink and downlink in kbit/s, 0 or absent
    /// meaning 1,000,000; rtt in ms, half of it added each way; packetLoss in percent, each way).
    /// </summary>
    public static (NetworkShape Uplink, NetworkShape Downlink) FromThrottle(int? uplinkKbps, int? downlinkKbps, int? rttMs, double? packetLossPercent)
    {
        var delay = TimeSpan.FromMilliseconds((rttMs ?? 0) / 2.0);
        var loss = (packetLossPercent ?? 0) / 100;
        return (new NetworkShape(1000L * (uplinkKbps is > 0 ? uplinkKbps.Value : 1_000_000), delay, loss),
            new NetworkShape(1000L * (downlinkKbps is > 0 ? downlinkKbps.Value : 1_000_000), delay, loss));
    }
}
