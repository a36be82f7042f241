namespace MediaEngine.Sctp;

/// <summary>Something the owner of an <see cref="SctpAssociation"/> must learn, in the order it happened.</summary>
public readonly record struct SctpEvent(SctpEventKind Kind, ushort StreamId = 0, uint Ppid = 0, byte[]? Payload = null, string? Reason = null);
