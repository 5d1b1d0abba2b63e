using Meridian.Topology.Model;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Edge.Tests;

public sealed class OriginHealthTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly List<(EdgeOriginStatus Old, EdgeOriginStatus New, string Reason)> _changes = [];

    private OriginHealth Create(OriginProbeConfig probe) => new(probe, _time, (o, n, r, _) => _changes.Add((o, n, r)));

    [Fact]
    public void ReportProbe_FailuresBelowThreshold_StaysUnknown()
    {
        var health = Create(OriginProbeConfig.Default with { UnhealthyThreshold = 3 });

        health.ReportProbe(false, "x");
        health.ReportProbe(false, "x");

        Assert.Equal(EdgeOriginStatus.Unknown, health.Status);
        health.ReportProbe(false, "down");
        Assert.Equal(EdgeOriginStatus.Unhealthy, health.Status);
        Assert.Equal("down", health.Reason);
    }

    [Fact]
    public void ReportProbe_AfterPassiveFailure_NeedsHealthyThresholdSuccesses()
    {
        var health = Create(OriginProbeConfig.Default with { HealthyThreshold = 3 });
        health.ReportProbe(true, "up");

        health.ReportPassiveFailure("GET /: HTTP 503");
        health.ReportProbe(true, "ok");
        health.ReportProbe(true, "ok");
        Assert.Equal(EdgeOriginStatus.Unhealthy, health.Status);
        health.ReportProbe(true, "ok");

        Assert.Equal(EdgeOriginStatus.Healthy, health.Status);
        Assert.Equal(
            [EdgeOriginStatus.Healthy, EdgeOriginStatus.Unhealthy, EdgeOriginStatus.Healthy],
            _changes.Select(c => c.New));
    }

    [Fact]
    public void ReportPassiveSuccess_DoesNotClearUnhealthy()
    {
        var health = Create(OriginProbeConfig.Default);
        health.ReportPassiveFailure("timeout");

        health.ReportPassiveSuccess("answered");

        Assert.Equal(EdgeOriginStatus.Unhealthy, health.Status);
    }

    [Fact]
    public void Status_ProbeDisabled_PassiveFailureExpiresAfterInterval()
    {
        var health = Create(OriginProbeConfig.Default with { Enabled = false, Interval = TimeSpan.FromSeconds(10) });
        health.ReportPassiveFailure("timeout");
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(health.IsAvailable);

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(health.IsAvailable);
        Assert.Equal(EdgeOriginStatus.Unknown, health.Status);
    }
}
