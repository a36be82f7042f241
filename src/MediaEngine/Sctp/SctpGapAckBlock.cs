namespace MediaEngine.Sctp;

/// <summary>
/// A run of TSNs received after a gap, as offsets from the SACK's cumulative TSN ack
/// (RFC 9260 §3.3.4): TSNs cumulative+<see cref="Start"/> to cumulative+<see cref="End"/> arrived.
/// </summary>
public readonly record struct SctpGapAckBlock(ushort Start, ushort End);
