using System.Text.Json;

namespace Actors.Rooms;

/// <summary>
/// mediasoup's rule for a producer's RTCP CNAME: all producers of one transport carry the same one,
/// the first non-empty CNAME given on the transport, or a random one when its first producer gives
/// none (Chromium's simulcast video has no a=ssrc lines, so mediasoup-client sends ""). Consumers
/// inherit it, and a client that demultiplexes by SSRC needs it: mediasoup-client writes a consumer's
/// a=ssrc lines only when the CNAME is non-empty.
/// </summary>
public static class ProducerCname
{
    public static string For(TransportState transport, string? given) =>
        transport.ProducerCname
        ?? (string.IsNullOrEmpty(given) ? Guid.NewGuid().ToString("N")[..8] : given);

    /// <summary>The CNAME journaled in a producer's RTP parameters, null when absent or empty.</summary>
    public static string? Of(JsonElement rtpParameters) =>
        rtpParameters.ValueKind == JsonValueKind.Object
        && rtpParameters.TryGetProperty("rtcp", out var rtcp) && rtcp.ValueKind == JsonValueKind.Object
        && rtcp.TryGetProperty("cname", out var cname) && cname.ValueKind == JsonValueKind.String
        && cname.GetString() is { Length: > 0 } value
            ? value
            : null;
}
