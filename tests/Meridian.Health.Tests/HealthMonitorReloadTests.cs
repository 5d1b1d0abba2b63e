using Meridian.Health.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Health.Tests;

public sealed class HealthMonitorReloadTests
{
    [Fact]
    public async Task Reload_UnchangedCheck_KeepsStateAndLoop()
    {
        var web = MonitorHarness.Http("web");
        var api = MonitorHarness.Http("api");
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, web, api, MonitorHarness.Http("old")));
        await h.StartAsync();
        var webState = h.Monitor.Find("web");
        var apiState = h.Monitor.Find("api");

        // Same settings in new list instances and at another source position: still "unchanged".
        var webAgain = web with { ExpectedStatus = [new StatusRange(200, 399)], Location = new SourceLocation("t.yaml", 9, 1) };
        h.Monitor.Reload(MonitorHarness.Topology(null, webAgain, api with { Path = "/v2" }));

        Assert.Same(webState, h.Monitor.Find("web"));
        Assert.Equal(HealthStatus.Healthy, h.Status("web"));
        // A changed check starts over with a new state (its new loop may already have probed: no Unknown assertion).
        Assert.NotSame(apiState, h.Monitor.Find("api"));
        Assert.Null(h.Monitor.Find("old"));
        Assert.Equal(["web", "api"], h.Monitor.All.Select(s => s.Name));
        Assert.Equal(1, h.Created.Count(n => n == "web"));
        Assert.Equal(2, h.Created.Count(n => n == "api"));

        await h.SettleAsync();
        Assert.Equal(HealthStatus.Healthy, h.Status("api"));
    }

    [Fact]
    public async Task Reload_RemovedCheck_StopsProbing()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web"), MonitorHarness.Http("old")));
        await h.StartAsync();
        h.Monitor.Reload(MonitorHarness.Topology(null, MonitorHarness.Http("web")));
        var probes = h.Prober("old").Probes.Count;
        await h.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(probes, h.Prober("old").Probes.Count);
        Assert.True(h.Prober("web").Probes.Count > 1);
    }

    [Fact]
    public async Task Reload_CheckersChanged_RestartsAffectedChecks()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web")));
        await h.StartAsync();
        var before = h.Monitor.Find("web");
        h.Monitor.Reload(MonitorHarness.Topology(new CheckersConfig(["x", "y"], 0.18, UnknownHealthPolicy.Healthy), MonitorHarness.Http("web")));
        Assert.NotSame(before, h.Monitor.Find("web"));
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Contains(h.Prober("web").Probes, p => p.Location == "y");
    }

    [Fact]
    public async Task Reload_CalculatedChildReplaced_RecomputesKeptParent()
    {
        var calc = new HealthCheckConfig { Name = "calc", Type = HealthCheckType.Calculated, Rule = CalculatedRule.All, Children = ["a"] };
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("a"), calc));
        h.Monitor.Report(new HealthObservation("a", "local", HealthStatus.Unhealthy, null, MonitorHarness.Epoch, "down"));
        Assert.Equal(HealthStatus.Unhealthy, h.Status("calc"));

        h.Monitor.Reload(MonitorHarness.Topology(null, MonitorHarness.Http("a") with { Disabled = true }, calc));
        Assert.Equal(HealthStatus.Healthy, h.Status("calc"));
    }
}
