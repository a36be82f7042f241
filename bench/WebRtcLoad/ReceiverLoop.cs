namespace WebRtcLoad;

/// <summary>
/// One thread that polls every client transport's socket in turn, then sleeps a moment: a few
/// system calls per packet on the load tool's side and no wake-up on the server's.
/// </summary>
internal sealed class ReceiverLoop : IDisposable
{
    private static readonly TimeSpan RoundPause = TimeSpan.FromMilliseconds(2);

    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private ClientTransport[] _transports = [];
    private volatile bool _stopping;

    public ReceiverLoop()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "receivers" };
        _thread.Start();
    }

    public void Add(ClientTransport transport)
    {
        lock (_gate)
            _transports = [.. _transports, transport];
    }

    public void Remove(ClientTransport transport)
    {
        lock (_gate)
            _transports = _transports.Where(t => t != transport).ToArray();
    }

    private void Run()
    {
        var buffer = new byte[2048];
        while (!_stopping)
        {
            foreach (var transport in _transports)
                transport.Poll(buffer);
            Thread.Sleep(RoundPause);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }
}
