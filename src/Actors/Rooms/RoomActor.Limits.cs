namespace Actors.Rooms;

/// <summary>A member's transports, producers, consumers and data producers/consumers stay within <see cref="MemberLimits"/>, counting those being created.</summary>
public sealed partial class RoomActor
{
    private enum Quota { Transports, Producers, DataProducers, Consumers, DataConsumers }

    private readonly Dictionary<(string MemberId, Quota Quota), int> _creating = new();

    /// <summary>
    /// Takes a place for one more of <paramref name="quota"/> for the member, or answers why not.
    /// The place is freed when <paramref name="reserved"/> (the request's reply, always called once) answers.
    /// </summary>
    private bool TryReserve(PeerState member, Quota quota, Action<CommandResult> reply, out Action<CommandResult> reserved)
    {
        reserved = reply;
        if (TryTakePlace(member, quota) is not { } release)
        {
            reply(CommandResult.Error(QuotaReached(quota)));
            return false;
        }
        reserved = result =>
        {
            release();
            reply(result);
        };
        return true;
    }

    /// <summary>A place for one more of <paramref name="quota"/>, freed by calling what it returns; null when the member is at its limit.</summary>
    private Action? TryTakePlace(PeerState member, Quota quota)
    {
        var key = (member.Id, quota);
        var creating = _creating.GetValueOrDefault(key);
        if (Held(member, quota) + creating >= Limit(quota))
            return null;
        _creating[key] = creating + 1;
        return () =>
        {
            if (_creating.TryGetValue(key, out var count))
            {
                if (count <= 1)
                    _creating.Remove(key);
                else
                    _creating[key] = count - 1;
            }
        };
    }

    private static int Held(PeerState member, Quota quota) => quota switch
    {
        Quota.Transports => member.Transports.Count,
        Quota.Producers => member.Producers.Count,
        Quota.DataProducers => member.DataProducers.Count,
        Quota.Consumers => member.Consumers.Count,
        _ => member.DataConsumers.Count,
    };

    private int Limit(Quota quota) => quota switch
    {
        Quota.Transports => _settings.MemberLimits.Transports,
        Quota.Producers => _settings.MemberLimits.Producers,
        Quota.DataProducers => _settings.MemberLimits.DataProducers,
        Quota.Consumers => _settings.MemberLimits.Consumers,
        _ => _settings.MemberLimits.DataConsumers,
    };

    private string QuotaReached(Quota quota) => $"too many {Name(quota)} (limit {Limit(quota)} per peer)";

    private static string Name(Quota quota) => quota switch
    {
        Quota.Transports => "transports",
        Quota.Producers => "producers",
        Quota.DataProducers => "dataProducers",
        Quota.Consumers => "consumers",
        _ => "dataConsumers",
    };
}
