namespace MediaEngine.Sctp;

/// <summary>An ordered stream of a FORWARD-TSN and the largest SSN abandoned on it (RFC 3758 §3.2).</summary>
public readonly record struct SctpForwardTsnStream(ushort StreamId, ushort Ssn);
