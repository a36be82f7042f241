using MediaEngine.Rtp;

namespace Actors.Rooms;

/// <param name="RouterRtpCapabilities">Generated once from the configured mediaCodecs.</param>
/// <param name="MediasoupVersion">Announced in the mediasoup-version notification.</param>
/// <param name="SnapshotEvery">A room saves a snapshot of its state every this many events.</param>
/// <param name="NetworkThrottleSecret">Secret of applyNetworkThrottle (env NETWORK_THROTTLE_SECRET); null refuses always.</param>
public sealed record RoomSettings(
    RtpCapabilities RouterRtpCapabilities,
    string MediasoupVersion = "3.14.16",
    int SnapshotEvery = 100,
    string? NetworkThrottleSecret = null);
