using System.Net;

namespace Meridian.Balancer.Tests;

public sealed class HealthThresholdTests
{
    [Fact]
    public async Task Check_HealthFlipsTo503_UnhealthyAfterThresholdAndHealthyAgainAfterThreshold()
    {
        await using var h = await BalancerHarness.StartAsync(1, c => c with { Health = BalancerHarness.Health(healthy: 3, unhealthy: 2) });
        var a = h[0];

        // Initial: one success so far, no traffic yet.
        Assert.Equal(TargetState.Initial, h.Status(a).State);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await h.GetAsync()).Status);
        await h.TickAsync();
        Assert.Equal(TargetState.Initial, h.Status(a).State);
        Assert.Equal(0, a.Hits);
        await h.TickAsync();
        Assert.Equal(TargetState.Healthy, h.Status(a).State);
        Assert.Equal((HttpStatusCode.OK, "a"), await h.GetAsync());

        a.HealthStatus = 503;
        await h.TickAsync();
        Assert.Equal(TargetState.Healthy, h.Status(a).State);
        await h.TickAsync();
        var status = h.Status(a);
        Assert.Equal(TargetState.Unhealthy, status.State);
        Assert.Contains("HTTP 503", status.Reason);
        Assert.Equal(h.Time.GetUtcNow(), status.LastChange);

        a.HealthStatus = 200;
        await h.TickAsync(2);
        Assert.Equal(TargetState.Unhealthy, h.Status(a).State);
        await h.TickAsync();
        Assert.Equal(TargetState.Healthy, h.Status(a).State);

        var changes = h.Balancer.Events.Snapshot().Where(e => e.Kind == BalancerEventKind.TargetStateChanged).Select(e => e.New).ToArray();
        Assert.Equal(new TargetState?[] { TargetState.Healthy, TargetState.Unhealthy, TargetState.Healthy }, changes);
    }

    [Fact]
    public async Task Register_NewTarget_GetsNoTrafficUntilItPassesThreshold()
    {
        await using var h = await BalancerHarness.StartAsync(1, c => c with { Health = BalancerHarness.Health(healthy: 2) });
        await h.TickAsync();
        await using var late = await TestBackend.StartAsync("late");
        h.Balancer.Register(late.Target);
        await h.WaitForChecksAsync();
        Assert.Equal(TargetState.Initial, h.Status(late).State);

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "a"), await h.GetAsync());
        }

        Assert.Equal(0, late.Hits);
        await h.TickAsync();
        Assert.Equal(TargetState.Healthy, h.Status(late).State);
        for (var i = 0; i < 6; i++)
        {
            await h.GetAsync();
        }

        Assert.Equal(3, late.Hits);
    }

    [Fact]
    public async Task Check_TargetDoesNotAnswer_FailsAfterTimeoutOnInjectedClock()
    {
        await using var h = await BalancerHarness.StartAsync(1);
        var a = h[0];
        a.HealthHangs = true;
        await h.WaitForChecksAsync();
        h.Time.Advance(BalancerHarness.Interval);
        await BalancerHarness.WaitUntilAsync(() => a.HealthWaiting == 1, "check waiting for the target");
        h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TargetState.Healthy, h.Status(a).State);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await BalancerHarness.WaitUntilAsync(() => h.Status(a).State == TargetState.Unhealthy, "check timeout");
        Assert.Equal("health check failed: no response within 00:00:05 (1 consecutive)", h.Status(a).Reason);
    }

    [Fact]
    public async Task Check_MatcherExcludesStatus_UsesHealthConfig()
    {
        // The matcher accepts 418 only; the default /health answer 200 fails it.
        await using var h = await BalancerHarness.StartAsync(1, c => c with
        {
            Health = BalancerHarness.Health() with { Matcher = [new(418, 418)] },
        });
        var status = h.Status(h[0]);
        Assert.Equal(TargetState.Unhealthy, status.State);
        Assert.Contains("expected 418", status.Reason);
    }
}
