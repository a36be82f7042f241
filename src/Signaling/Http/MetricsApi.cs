using Actors.Media;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Signaling.Metrics;

namespace Signaling.Http;

/// <summary>GET /metrics: media workers, rooms and the process in Prometheus' text format.</summary>
public static class MetricsApi
{
    /// <summary>Long enough for a worker busy with a burst of packets; a worker or room slower than this is left out.</summary>
    private static readonly TimeSpan GatherTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", async (HttpContext c) =>
        {
            var services = c.RequestServices;
            var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MetricsApi));
            var media = await services.GetRequiredService<IRequiredActor<MediaWorkersActor>>().GetAsync(c.RequestAborted);
            var rooms = await services.GetRequiredService<IRequiredActor<RoomManagerActor>>().GetAsync(c.RequestAborted);
            var workers = GatherOrNull(MediaMetrics.GatherAsync(media, GatherTimeout), "media workers", log);
            var roomMetrics = GatherOrNull(RoomMetrics.GatherAsync(rooms, GatherTimeout), "rooms", log);
            var text = ServerMetrics.Write(await workers, await roomMetrics);
            c.Response.ContentType = PrometheusTextWriter.ContentType;
            await c.Response.WriteAsync(text);
        });
        return routes;
    }

    private static async Task<T?> GatherOrNull<T>(Task<T> gathering, string what, ILogger log) where T : class
    {
        try
        {
            return await gathering;
        }
        catch (AskTimeoutException)
        {
            log.LogWarning("/metrics: the {What} did not answer within {Timeout}", what, GatherTimeout);
            return null;
        }
    }
}
