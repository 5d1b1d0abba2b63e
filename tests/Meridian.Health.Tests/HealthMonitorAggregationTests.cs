using Meridian.Health.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Health.Tests;

public sealed class HealthMonitorAggregationTests
{
    private static readonly CheckersConfig ThreeLocations = new(["a", "b", "c"], 0.18, UnknownHealthPolicy.Healthy);

    private static HealthCheckConfig Fast(string name, double? fraction = null) =>
        MonitorHarness.Http(name, rise: 1, fall: 1) with { HealthyFraction = fraction };

    private static HealthObservation Obs(string check, string location, HealthStatus status, string reason = "probe") =>
        new(check, location, status, TimeSpan.FromMilliseconds(3), MonitorHarness.Epoch, reason);

    [Theory]
    [InlineData(0.18, 1, HealthStatus.Healthy)]
    [InlineData(0.18, 0, HealthStatus.Unhealthy)]
    [InlineData(0.5, 1, HealthStatus.Unhealthy)]
    [InlineData(0.5, 2, HealthStatus.Healthy)]
    public async Task Probe_ThreeLocations_FollowsHealthyFraction(double fraction, int healthyLocations, HealthStatus expected)
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(ThreeLocations, Fast("web", fraction)));
        var prober = h.Prober("web");
        foreach (var (location, i) in new[] { "a", "b", "c" }.Select((l, i) => (l, i)))
        {
            prober.SetUp(location, i < healthyLocations);
        }

        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(expected, h.Status("web"));
    }

    [Fact]
    public async Task Probe_CheckersFractionOverriddenByCheck_UsesCheckFraction()
    {
        var checkers = ThreeLocations with { HealthyFraction = 0.9 };
        await using var h = new MonitorHarness(MonitorHarness.Topology(checkers, Fast("web", 0.18)));
        h.Prober("web").SetUp("a", false);
        h.Prober("web").SetUp("b", false);
        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        Assert.Equal("1 of 3 checkers healthy (> 18%)", h.Monitor.Find("web")!.LastReason);
    }

    [Fact]
    public async Task Probe_CheckLocations_RunsOnlyFromThoseLocations()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(ThreeLocations, Fast("web") with { Locations = ["b"] }));
        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.All(h.Prober("web").Probes, p => Assert.Equal("b", p.Location));
    }

    [Fact]
    public async Task Report_BeforeAnyResult_IsUnknownAndFollowsPolicy()
    {
        var unhealthyPolicy = ThreeLocations with { UnknownIs = UnknownHealthPolicy.Unhealthy };
        await using var healthyByDefault = new MonitorHarness(MonitorHarness.Topology(ThreeLocations, Fast("web")));
        await using var unhealthyByDefault = new MonitorHarness(MonitorHarness.Topology(unhealthyPolicy, Fast("web")));

        Assert.Equal(HealthStatus.Unknown, healthyByDefault.Status("web"));
        Assert.True(healthyByDefault.Monitor.Find("web")!.IsHealthy);
        Assert.Equal(HealthStatus.Unknown, unhealthyByDefault.Status("web"));
        Assert.False(unhealthyByDefault.Monitor.Find("web")!.IsHealthy);
    }

    [Fact]
    public async Task Report_SomeLocationsUnknown_ComputesOverKnownLocations()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(ThreeLocations, Fast("web")));
        h.Monitor.Report(Obs("web", "a", HealthStatus.Unhealthy, "connection refused"));
        Assert.Equal(HealthStatus.Unhealthy, h.Status("web"));
        Assert.Equal("0 of 1 checkers healthy (not > 18%), 2 not reported yet; a: connection refused", h.Monitor.Find("web")!.LastReason);

        h.Monitor.Report(Obs("web", "b", HealthStatus.Healthy));
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
    }

    [Fact]
    public async Task Report_UnconfiguredLocationOrCheck_IsIgnored()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(ThreeLocations, Fast("web") with { Locations = ["a"] }));
        h.Monitor.Report(Obs("web", "b", HealthStatus.Unhealthy));
        h.Monitor.Report(Obs("nope", "a", HealthStatus.Unhealthy));
        Assert.Equal(HealthStatus.Unknown, h.Status("web"));
        Assert.Empty(h.Monitor.Events.Snapshot());
    }

    [Fact]
    public async Task Report_RemoteAndLocalObservations_AggregateTogether()
    {
        var checkers = new CheckersConfig(["local", "remote"], 0.5, UnknownHealthPolicy.Healthy);
        await using var h = new MonitorHarness(MonitorHarness.Topology(checkers, Fast("web") with { Locations = ["local", "remote"] }));
        h.Monitor.Report(Obs("web", "remote", HealthStatus.Healthy));
        h.Monitor.Report(Obs("web", "local", HealthStatus.Unhealthy));
        Assert.Equal(HealthStatus.Unhealthy, h.Status("web")); // 1 of 2 is not > 50%
        h.Monitor.Report(Obs("web", "local", HealthStatus.Healthy));
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
    }

    [Fact]
    public async Task Start_DisabledCheck_HealthyAndNeverProbed()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, Fast("web") with { Disabled = true }));
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Empty(h.Created);
        Assert.True(h.Monitor.Find("web")!.IsHealthy);
        h.Monitor.Report(Obs("web", "local", HealthStatus.Unhealthy));
        Assert.True(h.Monitor.Find("web")!.IsHealthy);
    }

    [Fact]
    public async Task Probe_StatusChanges_RecordsEventsWithReasons()
    {
        var events = new HealthEventLog();
        var received = new List<HealthEvent>();
        using var subscription = events.Subscribe(received.Add);
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, Fast("web")), events);
        await h.StartAsync();
        h.Prober("web").SetUp(false);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));

        var snapshot = events.Snapshot();
        Assert.Equal(4, snapshot.Count);
        Assert.Equal(received, snapshot);
        var last = snapshot[^1];
        Assert.Null(last.Location);
        Assert.Equal(HealthStatus.Healthy, last.Old);
        Assert.Equal(HealthStatus.Unhealthy, last.New);
        Assert.Equal("0 of 1 checkers healthy (not > 18%); local: HTTP 503 (expected 200-399)", last.Reason);
        Assert.Equal(MonitorHarness.Epoch.AddSeconds(1), last.Time);
        var perLocation = snapshot[^2];
        Assert.Equal("local", perLocation.Location);
        Assert.Equal("HTTP 503 (expected 200-399)", perLocation.Reason);
        Assert.Equal(TimeSpan.FromMilliseconds(5), perLocation.Latency);
    }
}
