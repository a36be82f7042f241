namespace MediaEngine.Workers;

/// <summary>The process's media workers; rooms get routers round-robin across them.</summary>
public sealed class MediaWorkerPool : IDisposable
{
    private readonly List<MediaWorker> _workers;
    private int _next;

    public MediaWorkerPool(MediaEngineSettings settings)
    {
        var count = settings.NumWorkers > 0 ? settings.NumWorkers : Environment.ProcessorCount;
        _workers = new List<MediaWorker>(count);
        try
        {
            for (var index = 0; index < count; index++)
                _workers.Add(new MediaWorker(index, settings));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<MediaWorker> Workers => _workers;

    /// <param name="onEvent">Media events of the router (consumer layer changes), raised on its worker thread.</param>
    public Router CreateRouter(Action<object> onEvent)
    {
        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_workers.Count);
        return new Router(_workers[index], onEvent);
    }

    public void Dispose()
    {
        foreach (var worker in _workers)
            worker.Dispose();
    }
}
