namespace Signaling.Protoo;

/// <summary>The open protoo connections of each remote address, within <see cref="ClientLimits.ConnectionsPerAddress"/>.</summary>
public sealed class ConnectionsByAddress(int limitPerAddress)
{
    private readonly Dictionary<string, int> _open = new();

    /// <summary>Counts one more connection from <paramref name="address"/>, unless that would pass the limit.</summary>
    public bool TryOpen(string address)
    {
        lock (_open)
        {
            var open = _open.GetValueOrDefault(address);
            if (limitPerAddress > 0 && open >= limitPerAddress)
                return false;
            _open[address] = open + 1;
            return true;
        }
    }

    public void Close(string address)
    {
        lock (_open)
        {
            if (_open.TryGetValue(address, out var open))
            {
                if (open <= 1)
                    _open.Remove(address);
                else
                    _open[address] = open - 1;
            }
        }
    }
}
