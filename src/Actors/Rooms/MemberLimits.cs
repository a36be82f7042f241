namespace Actors.Rooms;

/// <summary>What one member (peer or broadcaster) may have at once (server.room.member-limits); creations in flight count.</summary>
/// <param name="Consumers">Consumers one member holds; beyond, a producer is not offered to it (logged), and a broadcaster's consume is refused.</param>
/// <param name="DataConsumers">Data consumers one member holds, likewise.</param>
/// <param name="RestartIcePerMinute">restartIce calls on one transport within any minute; one more is refused.</param>
public sealed record MemberLimits(
    int Transports = 16,
    int Producers = 32,
    int DataProducers = 32,
    int RestartIcePerMinute = 30,
    int Consumers = 1000,
    int DataConsumers = 1000);
