using System.Net;
using Meridian.Topology.Model;

namespace Meridian.Balancer.Tests;

public sealed class AlgorithmTests
{
    [Fact]
    public async Task RoundRobin_ThreeHealthyTargets_SpreadsEvenly()
    {
        await using var h = await BalancerHarness.StartAsync(3);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await h.GetAsync()).Status);
        }

        Assert.All(h.Backends, b => Assert.Equal(10, b.Hits));
        var counters = h.Balancer.Counters;
        Assert.Equal(30, counters.Requests);
        Assert.All(h.Backends, b => Assert.Equal(10, counters.TargetRequests[b.Target.ToString()]));
    }

    [Fact]
    public async Task LeastOutstandingRequests_OneTargetSlow_PrefersIdleTarget()
    {
        await using var h = await BalancerHarness.StartAsync(2, c => c with { Algorithm = BalancingAlgorithm.LeastOutstandingRequests });
        var (slow, fast) = (h[0], h[1]);
        slow.Slow = true;
        var held = await SlowRequestHelper.HoldOneAsync(h, slow);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "b"), await h.GetAsync());
        }

        Assert.Equal(1, h.Status(slow).InFlight);
        slow.Release();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
    }

    [Fact]
    public async Task RoundRobin_OneTargetSlow_StillAlternates()
    {
        // The contrast to the test above: round robin ignores load.
        await using var h = await BalancerHarness.StartAsync(2);
        var slow = h[0];
        slow.Slow = true;
        var held = await SlowRequestHelper.HoldOneAsync(h, slow);
        Assert.Equal("b", (await h.GetAsync()).Body);
        var next = h.Client.GetAsync("/");
        await BalancerHarness.WaitUntilAsync(() => slow.Waiting == 2, "second request held by the slow target");
        slow.Release();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await next).StatusCode);
    }
}
