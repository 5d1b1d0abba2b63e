using System.Net;

namespace Meridian.Balancer.Tests;

public sealed class PassiveHealthTests
{
    [Fact]
    public async Task Get_TargetRefusesConnections_MarkedUnhealthyAndRetriedElsewhere()
    {
        await using var h = await BalancerHarness.StartAsync(2);
        var (dead, alive) = (h[0], h[1]);
        await dead.StopAsync();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "b"), await h.GetAsync());
        }

        var status = h.Status(dead);
        Assert.Equal(TargetState.Unhealthy, status.State);
        Assert.Contains("ConnectionRefused", status.Reason);
        Assert.Equal(1, h.Balancer.Counters.Retries);
        Assert.Equal(0, h.Balancer.Counters.Responses5xx);
        Assert.Equal(4, alive.Hits);
        var e = Assert.Single(h.Balancer.Events.Snapshot(), e => e.New == TargetState.Unhealthy);
        Assert.StartsWith("request failed:", e.Reason);
    }

    [Fact]
    public async Task Post_TargetRefusesConnections_NotRetried502()
    {
        await using var h = await BalancerHarness.StartAsync(2);
        var dead = h[0];
        await dead.StopAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await h.Client.PostAsync("/orders", new StringContent("{}"));
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.BadGateway, statuses);
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Equal(TargetState.Unhealthy, h.Status(dead).State);
        Assert.Equal(0, h.Balancer.Counters.Retries);
        Assert.Equal(1, h.Balancer.Counters.Responses5xx);
    }

    [Fact]
    public async Task Get_PassivelyUnhealthyTarget_ActiveCheckBringsItBack()
    {
        // A target whose traffic port refuses but whose health port answers: passive marks it down, the checker up.
        await using var health = await TestBackend.StartAsync("health");
        await using var h = await BalancerHarness.StartAsync(1, c => c with
        {
            Targets = [.. c.Targets, new("127.0.0.1", ClosedPort())],
            Health = BalancerHarness.Health() with { Port = health.Port },
        });
        await h.WaitForChecksAsync();
        var refusing = h.Balancer.Targets.Single(t => t.Target.Port != h[0].Port).Target;
        Assert.All(h.Balancer.Targets, t => Assert.Equal(TargetState.Healthy, t.State));

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await h.GetAsync()).Status);
        }

        Assert.Equal(TargetState.Unhealthy, h.Balancer.Targets.Single(t => t.Target == refusing).State);
        await h.TickAsync();
        Assert.Equal(TargetState.Healthy, h.Balancer.Targets.Single(t => t.Target == refusing).State);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
