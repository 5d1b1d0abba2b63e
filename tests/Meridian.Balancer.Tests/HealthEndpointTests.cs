using System.Net;

namespace Meridian.Balancer.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task HealthEndpoint_HealthyTarget_200WithCount()
    {
        await using var h = await BalancerHarness.StartAsync(2);
        using var response = await h.Client.GetAsync("/_meridian/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"status":"ok","healthyTargets":2}""", await response.Content.ReadAsStringAsync());
        // Not proxied and not counted as a request.
        Assert.All(h.Backends, b => Assert.Equal(0, b.Hits));
        Assert.Equal(0, h.Balancer.Counters.Requests);
    }

    [Fact]
    public async Task HealthEndpoint_NoHealthyTarget_503()
    {
        await using var h = await BalancerHarness.StartAsync(1, c => c with { HealthEndpoint = "/lb-health" });
        h[0].HealthStatus = 503;
        await h.TickAsync();
        var (status, body) = await h.GetAsync("/lb-health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("""{"status":"unhealthy","healthyTargets":0}""", body);
    }
}
