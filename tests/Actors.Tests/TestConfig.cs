using Actors.Peers;
using Actors.Persistence;
using Actors.Rooms;
using System.Net;
using MediaEngine.Rtp;
using MediaEngine.Workers;

namespace Actors.Tests;

public static class TestConfig
{
    public static readonly string Hocon = $$"""
        akka.loglevel = WARNING
        # TestKit's 3 s default wait was once too short for a room's first command on a loaded CI machine.
        akka.test.single-expect-default = 10s
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        akka.actor.serializers.room-json = "{{typeof(RoomEventSerializer).AssemblyQualifiedName}}"
        akka.actor.serializers.session-json = "{{typeof(SessionMessageSerializer).AssemblyQualifiedName}}"
        akka.actor.serialization-bindings {
          "{{typeof(IRoomEvent).AssemblyQualifiedName}}" = room-json
          "{{typeof(RoomState).AssemblyQualifiedName}}" = room-json
          "{{typeof(IOpenRoomsEvent).AssemblyQualifiedName}}" = room-json
          "{{typeof(OpenRoomsSnapshot).AssemblyQualifiedName}}" = room-json
          "{{typeof(ISessionMessage).AssemblyQualifiedName}}" = session-json
        }
        """;

    /// <summary>One media worker on loopback, answering loopback peers only.</summary>
    public static readonly MediaEngineSettings Media = new(
        NumWorkers: 1, ListenIp: IPAddress.Loopback, AnnouncedAddress: "127.0.0.1", WebRtcServerPort: 0, LoopbackPeersOnly: true);

    public static RoomSettings Settings(int snapshotEvery = 100, string? throttleSecret = null) => new(
        Ortc.GenerateRouterRtpCapabilities([
            new RtpCodecCapability { Kind = "audio", MimeType = "audio/opus", ClockRate = 48000, Channels = 2 },
        ]),
        SnapshotEvery: snapshotEvery,
        NetworkThrottleSecret: throttleSecret);
}
