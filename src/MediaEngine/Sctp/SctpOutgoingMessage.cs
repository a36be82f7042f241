namespace MediaEngine.Sctp;

/// <summary>
/// A message from <see cref="SctpAssociation.SendMessage"/> until it is fully acknowledged or
/// abandoned. Its fragments get consecutive TSNs from <see cref="FirstTsn"/> on, as they are sent.
/// </summary>
internal sealed class SctpOutgoingMessage(
    ushort streamId, uint ppid, bool unordered, byte[] payload, int? maxRetransmits, TimeSpan? expiresAt)
{
    public ushort StreamId { get; } = streamId;

    public uint Ppid { get; } = ppid;

    public bool Unordered { get; } = unordered;

    public byte[] Payload { get; } = payload;

    public int? MaxRetransmits { get; } = maxRetransmits;

    public TimeSpan? ExpiresAt { get; } = expiresAt;

    /// <summary>Assigned when the first fragment is sent, so a message dropped unsent leaves no SSN gap.</summary>
    public ushort Ssn { get; set; }

    public uint FirstTsn { get; set; }

    /// <summary>Payload bytes already cut into fragments and given TSNs.</summary>
    public int FragmentedBytes { get; set; }

    public int FragmentsSent { get; set; }

    public bool IsAbandoned { get; set; }

    public bool IsStarted => FragmentedBytes > 0;

    public bool IsFullyFragmented => FragmentedBytes == Payload.Length;

    public bool HasExpired(TimeSpan now) => now >= ExpiresAt;

    /// <summary>Whether a lost fragment must be given up rather than sent again (RFC 3758 §3.5 A1).</summary>
    public bool ShouldAbandon(int transmissions, TimeSpan now) => transmissions > MaxRetransmits || HasExpired(now);
}
