namespace SfuHost.Persistence;

/// <summary>One event as a row of the journal table (Akka.Persistence.Sql's layout); <paramref name="Created"/> in ticks (UTC).</summary>
public sealed record JournalRow(
    string PersistenceId,
    long SequenceNr,
    long Created,
    byte[] Message,
    string Manifest,
    int SerializerId,
    string? WriterGuid,
    IReadOnlyCollection<string> Tags);
