using System.Text.Json;
using Actors.Peers;
using Actors.Rooms;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Signaling.Http;

/// <summary>GET /cluster: the cluster's members, their status and the rooms each hosts ({"enabled":false} on a server on its own).</summary>
public static class ClusterApi
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/cluster", async (HttpContext c) =>
        {
            var system = c.RequestServices.GetRequiredService<ActorSystem>();
            c.Response.ContentType = "application/json";
            if (!system.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal))
            {
                await c.Response.WriteAsync("""{"enabled":false}""");
                return;
            }
            var rooms = await c.RequestServices.GetRequiredService<IRequiredActor<RoomManagerActor>>().GetAsync(c.RequestAborted);
            var view = await rooms.Ask<ClusterView>(GetClusterView.Instance, Timeout);
            await c.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                enabled = true,
                self = view.Self,
                leader = view.Leader,
                hostedRooms = view.HostedRooms,
                members = view.Members.Select(m => new { address = m.Address, status = m.Status, unreachable = m.Unreachable, rooms = m.Rooms, peers = m.Peers }),
            }, JsonData.Options));
        });
        return routes;
    }
}
