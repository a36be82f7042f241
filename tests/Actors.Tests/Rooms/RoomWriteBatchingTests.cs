using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.TestKit.Xunit2;

namespace Actors.Tests.Rooms;

/// <summary>
/// A room decides while its previous events are still being written, writes what it decided
/// meanwhile in one go, and answers only once the events behind an answer are written.
/// </summary>
public sealed class RoomWriteBatchingTests() : TestKit(
    ConfigurationFactory.ParseString(GatedJournal.Hocon("gated-journal")).WithFallback(TestConfig.Hocon), SystemName)
{
    private const string SystemName = "room-write-batching";
    private static readonly JsonElement Device = JsonDocument.Parse("""{"flag":"chrome"}""").RootElement;

    [Fact]
    public async Task Requests_made_during_a_write_are_written_together_and_answered_only_after_it()
    {
        var gate = GatedJournal.For(SystemName);
        var settings = TestConfig.Settings(snapshotEvery: 4);
        var room = Sys.ActorOf(RoomActor.Props("batched", settings));
        var (session, wire, _) = await TestSessions.ConnectAsync(this, room, "batched", "alice");
        session.Tell(new ClientRequest(1, new Join("Alice", Device, null, null)));
        wire.ExpectMsg<Responded>(r => r.RequestId == 1);
        while (gate.Writes.TryDequeue(out _)) { }

        gate.Close();
        for (var id = 2; id <= 7; id++)
            session.Tell(new ClientRequest(id, new ChangeDisplayName($"Alice {id}")));
        wire.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        gate.Open();
        var answers = Enumerable.Range(2, 6).Select(_ => wire.ExpectMsg<Responded>()).ToList();
        Assert.Equal([2, 3, 4, 5, 6, 7], answers.Select(a => a.RequestId));
        Assert.All(answers, a => Assert.IsType<CommandSuccess>(a.Result));
        Assert.Equal([1, 5], gate.Writes.ToArray());

        // Events 1–3 are the room's creation, alice's connection and join; 4–9 the renames, so the
        // snapshot at 8 holds the fifth rename, not the state the room had decided by then.
        var snapshotStore = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        await AwaitAssertAsync(async () =>
        {
            var loaded = await snapshotStore.Ask<LoadSnapshotResult>(
                new LoadSnapshot(RoomActor.PersistenceIdFor("batched"), SnapshotSelectionCriteria.Latest, long.MaxValue));
            Assert.Equal(8, loaded.Snapshot?.Metadata.SequenceNr);
            Assert.Equal("Alice 6", ((RoomState)loaded.Snapshot!.Snapshot).FindPeer("alice")!.DisplayName);
        });

        var before = await room.Ask<RoomState>(GetRoomState.Instance);
        Assert.Equal("Alice 7", before.FindPeer("alice")!.DisplayName);
        Watch(room);
        Sys.Stop(room);
        ExpectTerminated(room);
        var recovered = await Sys.ActorOf(RoomActor.Props("batched", settings)).Ask<RoomState>(GetRoomState.Instance);
        Assert.Equal(Actors.Persistence.RoomEventSerializer.ToJson(before), Actors.Persistence.RoomEventSerializer.ToJson(recovered));
    }
}
