using System.Net;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Balancer.Tests;

/// <summary>The production configuration: the system clock drives checks (everything else uses a fake clock).</summary>
public sealed class SystemClockTests
{
    [Fact]
    public async Task StartAsync_SystemClock_TargetBecomesHealthyAndServes()
    {
        await using var backend = await TestBackend.StartAsync("a");
        var config = new LoadBalancerConfig
        {
            Name = "eu",
            Region = "eu-west",
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Targets = [backend.Target],
            Health = new TargetHealthConfig { Path = "/health", Interval = TimeSpan.FromMilliseconds(50), HealthyThreshold = 3 },
        };
        await using var balancer = new RegionalLoadBalancer(config, TimeProvider.System, NullLoggerFactory.Instance);
        await balancer.StartAsync(CancellationToken.None);
        await BalancerHarness.WaitUntilAsync(() => balancer.HealthyTargets == 1, "target healthy");

        using var client = new HttpClient { BaseAddress = new Uri($"http://{balancer.Endpoint}") };
        Assert.Equal("a", await client.GetStringAsync("/"));
        backend.HealthStatus = 500;
        await BalancerHarness.WaitUntilAsync(() => balancer.HealthyTargets == 0, "target unhealthy");
        using var health = await client.GetAsync("/_meridian/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }
}
