using System.Net;

namespace Meridian.Balancer.Tests;

public sealed class DrainingTests
{
    [Fact]
    public async Task Deregister_SlowInFlightRequest_CompletesAndNewRequestsGoElsewhere()
    {
        await using var h = await BalancerHarness.StartAsync(2);
        var (a, b) = (h[0], h[1]);
        a.Slow = true;
        var held = await SlowRequestHelper.HoldOneAsync(h, a);
        var bHits = b.Hits;

        var drain = h.Balancer.DeregisterAsync(a.Target);
        Assert.False(drain.IsCompleted);
        var status = h.Status(a);
        Assert.Equal(TargetState.Draining, status.State);
        Assert.Equal(1, status.InFlight);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "b"), await h.GetAsync());
        }

        Assert.Equal(bHits + 4, b.Hits);
        a.Release();
        using (var response = await held)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("a", await response.Content.ReadAsStringAsync());
        }

        await drain.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(h.Balancer.Targets, t => t.Target == a.Target);
        var removed = Assert.Single(h.Balancer.Events.Snapshot(), e => e.Kind == BalancerEventKind.TargetRemoved);
        Assert.Equal(a.Target.ToString(), removed.Target);
        Assert.Contains("no requests in flight", removed.Reason);
    }

    [Fact]
    public async Task Deregister_DelayElapses_TargetRemovedAndRequestAborted()
    {
        await using var h = await BalancerHarness.StartAsync(2, c => c with { DeregistrationDelay = TimeSpan.FromSeconds(30) });
        var a = h[0];
        a.Slow = true;
        var held = await SlowRequestHelper.HoldOneAsync(h, a);

        var drain = h.Balancer.DeregisterAsync(a.Target);
        var again = h.Balancer.DeregisterAsync(a.Target);
        h.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(drain.IsCompleted);
        Assert.False(again.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await drain.WaitAsync(TimeSpan.FromSeconds(15));
        await again.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.DoesNotContain(h.Balancer.Targets, t => t.Target == a.Target);
        var removed = Assert.Single(h.Balancer.Events.Snapshot(), e => e.Kind == BalancerEventKind.TargetRemoved);
        Assert.Contains("elapsed with 1 requests in flight", removed.Reason);
        await Assert.ThrowsAsync<HttpRequestException>(() => held.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Deregister_IdleTarget_RemovedAtOnce()
    {
        await using var h = await BalancerHarness.StartAsync(2);
        await h.Balancer.DeregisterAsync(h[0].Target).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal([h[1].Target], h.Balancer.Targets.Select(t => t.Target));
        // Unknown targets are a no-op.
        await h.Balancer.DeregisterAsync(h[0].Target);
    }

    [Fact]
    public async Task Apply_TargetListChanged_AddsNewAndDrainsRemoved()
    {
        await using var h = await BalancerHarness.StartAsync(2);
        await using var c = await TestBackend.StartAsync("c");
        var config = new Meridian.Topology.Model.LoadBalancerConfig
        {
            Name = "eu",
            Region = "eu-west",
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Targets = [h[1].Target, c.Target],
            Health = BalancerHarness.Health(),
        };
        h.Balancer.Apply(config);
        await BalancerHarness.WaitUntilAsync(
            () => h.Balancer.Targets.Select(t => t.Target.Port).Order().SequenceEqual(new[] { h[1].Port, c.Port }.Order()),
            "target list applied");
        await h.WaitForChecksAsync();
        Assert.Equal(TargetState.Healthy, h.Status(c).State);
    }
}
