using Akka.Actor;
using Akka.Persistence;

namespace Actors.Tests.Rooms;

/// <summary>Replays a persistence id's events (never writes) and answers them, in order.</summary>
public sealed class JournalReader : ReceivePersistentActor
{
    private readonly string _persistenceId;
    private readonly List<object> _events = new();

    public JournalReader(string persistenceId)
    {
        _persistenceId = persistenceId;
        Recover<object>(e =>
        {
            if (e is not (SnapshotOffer or RecoveryCompleted))
                _events.Add(e);
        });
        Command<string>(_ => Sender.Tell(_events.ToList()));
    }

    public override string PersistenceId => _persistenceId;
}

public static class Journal
{
    public static async Task<List<object>> ReadAsync(ActorSystem system, string persistenceId)
    {
        var reader = system.ActorOf(Props.Create(() => new JournalReader(persistenceId)));
        try
        {
            return await reader.Ask<List<object>>("events", TimeSpan.FromSeconds(5));
        }
        finally
        {
            system.Stop(reader);
        }
    }
}
