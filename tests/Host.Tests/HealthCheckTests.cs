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
        // Ready a moment after the start at the latest (the checks run when asked).
        HttpResponseMessage ready;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((ready = await http.GetAsync(new Uri(server.HttpUri, "/health/ready"))).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", report["status"]!.GetValue<string>());
        Assert.Equal("Healthy", report["checks"]!["journal"]!["status"]!.GetValue<string>());
        Assert.True(report["checks"]!.AsObject().Count >= 2, report.ToJsonString());
        Assert.Null(JsonNode.Parse(await live.Content.ReadAsStringAsync())!["checks"]!["journal"]);
    }
}
