using Akka.Actor;
using MediaEngine.Workers;

namespace Actors.Media;

/// <summary>Asks every media worker for its metrics at once (what /metrics shows).</summary>
public static class MediaMetrics
{
    /// <summary>
    /// The workers' metrics, by index; a worker that does not answer within <paramref name="timeout"/>
    /// (restarting, or stuck) is left out rather than holding up the rest.
    /// </summary>
    public static async Task<IReadOnlyList<WorkerMetrics>> GatherAsync(IActorRef mediaWorkers, TimeSpan timeout)
    {
        var list = await mediaWorkers.Ask<MediaWorkerList>(GetMediaWorkers.Instance, timeout);
        var asks = list.Workers.Select(worker => AskOrNull(worker, timeout)).ToList();
        var answers = await Task.WhenAll(asks);
        return answers.OfType<WorkerMetrics>().OrderBy(m => m.WorkerIndex).ToList();
    }

    private static async Task<WorkerMetrics?> AskOrNull(IActorRef worker, TimeSpan timeout)
    {
        try
        {
            return await worker.Ask<WorkerMetrics>(GetWorkerMetrics.Instance, timeout);
        }
        catch (Exception)
        {
            return null; // timed out, or the worker is stopping (restart): the next scrape asks again
        }
    }
}
