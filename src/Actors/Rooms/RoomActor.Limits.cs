namespace Actors.Rooms;

/// <summary>A member's transports, producers and data producers stay within <see cref="MemberLimits"/>, counting those being created.</summary>
public sealed partial class RoomActor
{
    private enum Quota { Transports, Producers, DataProducers }

    private readonly Dictionary<(string MemberId, Quota Quota), int> _creating = new();

    /// <summary>
    /// Takes a place for one more of <paramref name="quota"/> for the member, or answers why not.
    /// The place is freed when <paramref name="reserved"/> (the request's reply, always called once) answers.
    /// </summary>
    private bool TryReserve(PeerState member, Quota quota, Action<CommandResult> reply, out Action<CommandResult> reserved)
    {
        var (have, limit) = quota switch
        {
            Quota.Transports => (member.Transports.Count, _settings.MemberLimits.Transports),
            Quota.Producers => (member.Producers.Count, _settings.MemberLimits.Producers),
            _ => (member.DataProducers.Count, _settings.MemberLimits.DataProducers),
        };
        var key = (member.Id, quota);
        var creating = _creating.GetValueOrDefault(key);
        reserved = reply;
        if (have + creating >= limit)
        {
            reply(CommandResult.Error($"too many {Name(quota)} (limit {limit} per peer)"));
            return false;
        }
        _creating[key] = creating + 1;
        reserved = result =>
        {
            if (_creating.TryGetValue(key, out var count))
            {
                if (count <= 1)
                    _creating.Remove(key);
                else
                    _creating[key] = count - 1;
            }
            reply(result);
        };
        return true;
    }

    private static string Name(Quota quota) => quota switch
    {
        Quota.Transports => "transports",
        Quota.Producers => "producers",
        _ => "dataProducers",
    };
}
