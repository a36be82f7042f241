namespace Signaling.Protoo;

/// <summary>What one protoo connection may cost: the largest message it may send, the most bytes it may leave unread.</summary>
/// <param name="MaxMessageBytes">A client message over this closes the connection (1009).</param>
/// <param name="SendQueueBytes">Frames waiting for a peer that does not read, beyond this, abort its connection.</param>
public sealed record ProtooLimits(int MaxMessageBytes = 960_000, long SendQueueBytes = 8 * 1024 * 1024);
