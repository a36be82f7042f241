using System.Threading.RateLimiting;
using Actors.Rooms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Signaling.Http;

/// <summary>
/// HTTP requests per remote address (server.client-limits.http-requests-per-second): a token
/// bucket holding one second's worth, refilled every second; beyond it 429 with mediasoup-demo's
/// error body. WebSocket upgrades are not counted here (connections-per-address limits those).
/// </summary>
public static class HttpRateLimit
{
    public static IServiceCollection AddHttpRateLimit(this IServiceCollection services, int requestsPerSecond)
    {
        if (requestsPerSecond <= 0)
            return services;
        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.WebSockets.IsWebSocketRequest
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = requestsPerSecond,
                        TokensPerPeriod = requestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            options.OnRejected = (rejected, _) => new ValueTask(HttpResults.WriteErrorAsync(rejected.HttpContext,
                CommandResult.TooManyRequests($"too many requests from this address (limit {requestsPerSecond} per second)")));
        });
    }

    /// <summary>Applies the limit registered by <see cref="AddHttpRateLimit"/>, if there is one.</summary>
    public static IApplicationBuilder UseHttpRateLimit(this IApplicationBuilder app, int requestsPerSecond) =>
        requestsPerSecond > 0 ? app.UseRateLimiter() : app;
}
