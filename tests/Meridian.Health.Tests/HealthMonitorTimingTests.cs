using Meridian.Health.Tests.Support;

namespace Meridian.Health.Tests;

public sealed class HealthMonitorTimingTests
{
    private static readonly TimeSpan Ms10 = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Start_FirstSuccessfulProbe_IsHealthyImmediately()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web")));
        Assert.Equal(HealthStatus.Unknown, h.Status("web"));
        await h.StartAsync();
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        Assert.Single(h.Prober("web").Probes);
    }

    [Fact]
    public async Task Probe_EndpointDies_UnhealthyAfterIntervalPlusConfirm()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web", rise: 2, fall: 2)));
        await h.StartAsync();
        h.Prober("web").SetUp(false); // dies right after the t=0 probe

        await h.AdvanceAsync(TimeSpan.FromMilliseconds(1240));
        Assert.Equal(HealthStatus.Healthy, h.Status("web")); // one failure at 1.0 s, confirming

        await h.AdvanceAsync(Ms10);
        Assert.Equal(HealthStatus.Unhealthy, h.Status("web"));
        Assert.Equal(TimeSpan.FromMilliseconds(1250), h.Elapsed);
        Assert.Equal(
            [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1250)],
            h.Prober("web").Probes.Select(p => p.Time - MonitorHarness.Epoch));
    }

    [Fact]
    public async Task Probe_SingleLostProbe_DoesNotFlap()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web", rise: 2, fall: 2)));
        await h.StartAsync();
        h.Prober("web").SetUp(false);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1)); // the failed probe at 1.0 s
        h.Prober("web").SetUp(true);
        await h.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        Assert.DoesNotContain(h.Monitor.Events.Snapshot(), e => e.New == HealthStatus.Unhealthy);
        // After the confirming success at 1.25 s the schedule returns to the 1 s interval.
        Assert.Contains(h.Prober("web").Probes, p => p.Time - MonitorHarness.Epoch == TimeSpan.FromMilliseconds(2250));
    }

    [Fact]
    public async Task Probe_EndpointRecovers_HealthyAfterRiseWithFastConfirmation()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web", rise: 3, fall: 2)));
        await h.StartAsync();
        h.Prober("web").SetUp(false);
        await h.AdvanceUntilAsync(() => h.Status("web") == HealthStatus.Unhealthy, TimeSpan.FromSeconds(5));
        await h.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        h.Prober("web").SetUp(true);
        var start = h.Elapsed; // 1.35 s; next interval probe at 2.25 s, then 2.5 s and 2.75 s confirm

        var took = await h.AdvanceUntilAsync(() => h.Status("web") == HealthStatus.Healthy, TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromMilliseconds(2750), start + took);
    }

    [Fact]
    public async Task Probe_UnhealthyWithInterruptedRise_StaysUnhealthy()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web", rise: 2, fall: 1)));
        await h.StartAsync();
        h.Prober("web").SetUp(false);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Unhealthy, h.Status("web"));

        h.Prober("web").SetUp(true);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1)); // success at 2.0 s (1 of 2)
        h.Prober("web").SetUp(false);
        await h.AdvanceAsync(TimeSpan.FromMilliseconds(250)); // failure at 2.25 s resets the rise
        h.Prober("web").SetUp(true);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1)); // success at 3.25 s (1 of 2 again)
        Assert.Equal(HealthStatus.Unhealthy, h.Status("web"));

        await h.AdvanceAsync(TimeSpan.FromMilliseconds(250)); // confirming success at 3.5 s
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
    }

    [Fact]
    public async Task Probe_FirstProbesFail_UnknownUntilFallThenUnhealthy()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web", rise: 2, fall: 3)));
        h.Prober("web").SetUp(false);
        await h.StartAsync();
        Assert.Equal(HealthStatus.Unknown, h.Status("web"));
        Assert.True(h.Monitor.Find("web")!.IsHealthy); // default unknown policy: healthy (Route53)

        await h.AdvanceAsync(TimeSpan.FromMilliseconds(250));
        Assert.Equal(HealthStatus.Unknown, h.Status("web"));
        await h.AdvanceAsync(TimeSpan.FromMilliseconds(250));
        Assert.Equal(HealthStatus.Unhealthy, h.Status("web"));
        Assert.False(h.Monitor.Find("web")!.IsHealthy);
    }

    [Fact]
    public async Task Start_ThreeLocations_StaggersFirstProbes()
    {
        var checkers = new Meridian.Topology.Model.CheckersConfig(["a", "b", "c"], 0.18, Meridian.Topology.Model.UnknownHealthPolicy.Healthy);
        await using var h = new MonitorHarness(MonitorHarness.Topology(checkers, MonitorHarness.Http("web", intervalSeconds: 0.9)));
        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromMilliseconds(800));

        var first = h.Prober("web").Probes.GroupBy(p => p.Location).ToDictionary(g => g.Key, g => g.Min(p => p.Time) - MonitorHarness.Epoch);
        Assert.Equal(TimeSpan.Zero, first["a"]);
        Assert.Equal(TimeSpan.FromMilliseconds(300), first["b"]);
        Assert.Equal(TimeSpan.FromMilliseconds(600), first["c"]);
    }

    [Fact]
    public async Task DisposeAsync_RunningLoops_StopsProbing()
    {
        var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web")));
        await h.StartAsync();
        await h.DisposeAsync();
        var count = h.Prober("web").Probes.Count;
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(count, h.Prober("web").Probes.Count);
    }
}
