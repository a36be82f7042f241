using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace Actors.Tests.Rooms;

/// <summary>
/// The in-memory journal with a gate a test can close: writes wait until it opens again. It
/// records each write (one per WriteMessages a persistent actor sends) by the number of events in it.
/// One gate per actor system, by the system's name.
/// </summary>
public sealed class GatedJournal : MemoryJournal
{
    public sealed class Gate
    {
        private volatile TaskCompletionSource _open = Opened();

        public ConcurrentQueue<int> Writes { get; } = new();

        public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _open.TrySetResult();

        internal Task WhenOpen => _open.Task;

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }

    private static readonly ConcurrentDictionary<string, Gate> Gates = new();

    public static Gate For(string systemName) => Gates.GetOrAdd(systemName, _ => new Gate());

    public static string Hocon(string pluginId) => $$"""
        akka.persistence.journal.plugin = "{{pluginId}}"
        {{pluginId}} {
          class = "{{typeof(GatedJournal).AssemblyQualifiedName}}"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    protected override async Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        var gate = For(Context.System.Name);
        await gate.WhenOpen;
        gate.Writes.Enqueue(writes.Sum(w => ((IImmutableList<IPersistentRepresentation>)w.Payload).Count));
        return await base.WriteMessagesAsync(writes, cancellationToken);
    }
}
