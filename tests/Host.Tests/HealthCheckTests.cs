using System.Net;
using System.Text.Json.Nodes;

namespace Host.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task Liveness_and_readiness_answer_with_their_checks()
    {
        await using var server = await TestServer.StartAsync();
        using var http = TestServer.CreateHttpClient();

        var live = await http.GetAsync(new Uri(server.HttpUri, "/health/live"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var ready = await http.GetAsync(new Uri(server.HttpUri, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", report["status"]!.GetValue<string>());
        Assert.Equal("Healthy", report["checks"]!["journal"]!["status"]!.GetValue<string>());
        Assert.True(report["checks"]!.AsObject().Count >= 2, report.ToJsonString());
        Assert.Null(JsonNode.Parse(await live.Content.ReadAsStringAsync())!["checks"]!["journal"]);
    }
}
