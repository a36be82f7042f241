using Actors.Rooms;

namespace Actors.Peers;

/// <summary>
/// What a member's <see cref="PeerActor"/> decides with: whether it has joined, its display name,
/// what its access token allows. Its rules are pure: a request in, a refusal or the events that
/// record it out; events applied give the next status.
/// </summary>
/// <param name="Permissions">What the member's token allows; null: everything (no tokens configured).</param>
public sealed record PeerStatus(string PeerId, bool Joined, string? DisplayName, IReadOnlyList<string>? Permissions)
{
    public static PeerStatus Of(PeerState peer, IReadOnlyList<string>? permissions) => new(peer.Id, peer.Joined, peer.DisplayName, permissions);

    /// <summary>Why <paramref name="request"/> is refused before anything runs, or null: the join gate (protocol.md §2.1), then the token.</summary>
    public CommandFailure? Refusal(IPeerRequest request) => request switch
    {
        _ when !Joined && RequiresJoin(request) => CommandResult.Error("Peer not yet joined"),
        Produce when !May(Permission.Produce) => CommandResult.Forbidden("not allowed to produce"),
        ProduceData when !May(Permission.Data) => CommandResult.Forbidden("not allowed to produce data"),
        _ => null,
    };

    /// <summary>join: once per connection. The room journals the capability set only the first time it sees it.</summary>
    public Decision Join(Join join, DateTimeOffset now)
    {
        if (Joined)
            return Decision.Refuse("Peer already joined");
        var digest = join.RtpCapabilities is { } capabilities ? RtpCapabilitiesDigest.Of(capabilities) : null;
        return new Decision([new PeerJoined(PeerId, join.DisplayName, join.Device, join.RtpCapabilities, join.SctpCapabilities, now)
            { RtpCapabilitiesDigest = digest }]);
    }

    public Decision Rename(string displayName, DateTimeOffset now) =>
        Joined
            ? new Decision([new DisplayNameChanged(PeerId, displayName, DisplayName, now)])
            : Decision.Refuse("Peer not yet joined");

    public PeerStatus Apply(IRoomEvent e) => e switch
    {
        PeerJoined joined when joined.PeerId == PeerId => this with { Joined = true, DisplayName = joined.DisplayName },
        DisplayNameChanged renamed when renamed.PeerId == PeerId => this with { DisplayName = renamed.DisplayName },
        _ => this,
    };

    private bool May(string permission) => Permissions is null || Permissions.Contains(permission);

    /// <summary>Media requests need a joined peer, except the stats ones.</summary>
    private static bool RequiresJoin(IPeerRequest request) => request switch
    {
        ChangeDisplayName or Produce or SetConsumerPreferredLayers or SetConsumerPriority => true,
        ProducerRequest { Method: not "getProducerStats" } => true,
        ConsumerRequest { Method: not "getConsumerStats" } => true,
        ProduceData => true,
        MalformedRequest => true,
        _ => false,
    };
}
