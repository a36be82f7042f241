namespace Actors.Rooms;

/// <summary>
/// The room came back from its journal after it stopped without closing: the server was
/// killed or restarted (<see cref="Cause"/> "server restarted"), or the room actor failed and
/// was restarted by its supervisor. Between <see cref="LastEventAt"/> and
/// <see cref="IRoomEvent.Timestamp"/> the room was down; media of that time is gone, so every
/// peer has to reconnect. <see cref="AwaitingPeers"/> are the members expected back within
/// <see cref="RejoinGraceSeconds"/>; the others leave with reason "rejoin-timeout".
/// </summary>
public sealed record RoomRecovered(
    string Cause,
    DateTimeOffset? LastEventAt,
    IReadOnlyList<string> AwaitingPeers,
    double RejoinGraceSeconds,
    DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>
/// A member of the room before its recovery connected again with the same peerId: the same
/// member (not a duplicate), back without media; it joins again and re-creates its transports.
/// </summary>
public sealed record PeerRejoined(string PeerId, string? RemoteAddress, DateTimeOffset Timestamp) : IRoomEvent;

/// <summary>
/// A broadcaster's plain transport came back with its room (same id, local ports, remote and SRTP
/// keys), with its producers and consumers (same ids and RTP parameters, so same SSRCs): what
/// ffmpeg or another RTP endpoint sends to those ports flows again. A transport that could not
/// come back (its port taken, say) is <see cref="TransportClosed"/> instead, with the reason.
/// </summary>
public sealed record PlainTransportRestored(
    string PeerId,
    string TransportId,
    int Port,
    int? RtcpPort,
    IReadOnlyList<string> ProducerIds,
    IReadOnlyList<string> ConsumerIds,
    DateTimeOffset Timestamp) : IRoomEvent;
