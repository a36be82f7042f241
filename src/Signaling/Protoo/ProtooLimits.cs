namespace Signaling.Protoo;

/// <summary>What one protoo connection may cost (server.protoo): every size a client controls has a limit here.</summary>
/// <param name="MaxMessageBytes">A client message over this closes the connection (1009).</param>
/// <param name="SendQueueBytes">Frames waiting for a peer that does not read, beyond this, abort its connection.</param>
/// <param name="IdMaxLength">roomId, peerId and the ids a request names (transportId, producerId, …).</param>
/// <param name="TextMaxLength">displayName, and a data producer's label and protocol.</param>
/// <param name="SmallJsonMaxBytes">device and appData, as JSON.</param>
/// <param name="LargeJsonMaxBytes">rtpCapabilities, rtpParameters and the other parameter objects, as JSON.</param>
public sealed record ProtooLimits(
    int MaxMessageBytes = 960_000,
    long SendQueueBytes = 8 * 1024 * 1024,
    int IdMaxLength = 128,
    int TextMaxLength = 256,
    int SmallJsonMaxBytes = 4096,
    int LargeJsonMaxBytes = 65_536)
{
    /// <summary>A room or peer id the server accepts: 1 to <see cref="IdMaxLength"/> characters, none a control character or a slash.</summary>
    public bool IsValidId(string id) =>
        id.Length is > 0 && id.Length <= IdMaxLength && !id.Any(c => char.IsControl(c) || c is '/' or '\\');
}
