using Meridian.Health.Tests.Support;
using Meridian.Topology.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Health.Tests;

public sealed class HealthMonitorRobustnessTests
{
    [Fact]
    public async Task Start_ProberFactoryThrows_CheckReportsUnhealthyOthersRun()
    {
        var clock = new FakeTimeProvider(MonitorHarness.Epoch);
        var good = new FakeProber(clock);
        var config = MonitorHarness.Topology(null, MonitorHarness.Http("bad", fall: 1), MonitorHarness.Http("good"));
        await using var monitor = new HealthMonitor(config, clock, NullLoggerFactory.Instance,
            check => check.Name == "bad" ? throw new ArgumentException("no such host") : good);

        monitor.Start();
        await Wait.UntilAsync(() => monitor.Find("bad")!.Status == HealthStatus.Unhealthy, "bad check unhealthy");
        await Wait.UntilAsync(() => monitor.Find("good")!.Status == HealthStatus.Healthy, "good check healthy");
        Assert.Contains("invalid check: no such host", monitor.Find("bad")!.LastReason);
    }

    [Fact]
    public async Task Start_CalledTwice_StartsLoopsOnce()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web")));
        await h.StartAsync();
        h.Monitor.Start();
        await h.SettleAsync();
        Assert.Single(h.Created);
        Assert.Single(h.Prober("web").Probes);
    }

    [Fact]
    public async Task Reload_AfterDispose_Throws()
    {
        var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web")));
        await h.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => h.Monitor.Reload(MonitorHarness.Topology(null)));
        await h.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task Report_SubscriberCallsBackIntoMonitor_DoesNotDeadlock()
    {
        var config = MonitorHarness.Topology(null, MonitorHarness.Http("web"));
        await using var h = new MonitorHarness(config);
        var seen = new List<HealthStatus>();
        using var subscription = h.Monitor.Events.Subscribe(e =>
        {
            h.Monitor.Reload(config);
            seen.Add(h.Monitor.Find(e.Check)!.Status);
        });

        var report = Task.Run(() => h.Monitor.Report(
            new HealthObservation("web", "local", HealthStatus.Unhealthy, null, MonitorHarness.Epoch, "down")));
        await report.WaitAsync(Wait.DefaultTimeout);
        Assert.Equal([HealthStatus.Unhealthy, HealthStatus.Unhealthy], seen);
    }

    [Fact]
    public async Task Dispose_ProbeFailsWhileStopping_DoesNotThrow()
    {
        // Found by Meridian.Cli.Tests: host disposal threw the probe's HttpRequestException (a faulted probe loop).
        var prober = new FailsWhenStoppedProber();
        var monitor = new HealthMonitor(MonitorHarness.Topology(null, MonitorHarness.Http("web")), TimeProvider.System,
            NullLoggerFactory.Instance, _ => prober);
        monitor.Start();
        await prober.Started.Task.WaitAsync(Wait.DefaultTimeout);

        await monitor.DisposeAsync().AsTask().WaitAsync(Wait.DefaultTimeout);
    }

    [Fact]
    public async Task Find_UnknownName_ReturnsNull()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, MonitorHarness.Http("web")));
        Assert.Null(h.Monitor.Find("nope"));
        Assert.Single(h.Monitor.All);
    }
}
