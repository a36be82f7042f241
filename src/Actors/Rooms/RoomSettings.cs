using MediaEngine.Rtp;
using MediaEngine.Workers;

namespace Actors.Rooms;

/// <param name="RouterRtpCapabilities">Generated once from the configured mediaCodecs.</param>
/// <param name="MediasoupVersion">Announced in the mediasoup-version notification.</param>
/// <param name="SnapshotEvery">A room saves a snapshot of its state every this many events.</param>
/// <param name="NetworkThrottleSecret">Secret of applyNetworkThrottle (env NETWORK_THROTTLE_SECRET); null refuses always.</param>
/// <param name="Media">The media workers; null where rooms run without media (media requests then fail).</param>
/// <param name="IceConsentTimeout">webRtcTransportOptions.iceConsentTimeout (20 s in mediasoup-demo).</param>
public sealed record RoomSettings(
    RtpCapabilities RouterRtpCapabilities,
    string MediasoupVersion = "3.14.16",
    int SnapshotEvery = 100,
    string? NetworkThrottleSecret = null,
    MediaWorkerPool? Media = null,
    TimeSpan? IceConsentTimeout = null);
