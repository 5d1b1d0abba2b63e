using Meridian.Health.Tests.Support;
using Meridian.Topology.Model;

namespace Meridian.Health.Tests;

public sealed class CalculatedCheckTests
{
    private static HealthCheckConfig Leaf(string name) => MonitorHarness.Http(name);

    private static HealthCheckConfig Calc(string name, CalculatedRule rule, int atLeast, params string[] children) => new()
    {
        Name = name,
        Type = HealthCheckType.Calculated,
        Rule = rule,
        AtLeast = atLeast,
        Children = children,
    };

    private static void Set(MonitorHarness h, string check, HealthStatus status) =>
        h.Monitor.Report(new HealthObservation(check, "local", status, null, MonitorHarness.Epoch, status.ToString()));

    [Theory]
    [InlineData(CalculatedRule.All, 0, HealthStatus.Unhealthy)]
    [InlineData(CalculatedRule.Any, 0, HealthStatus.Healthy)]
    [InlineData(CalculatedRule.AtLeast, 1, HealthStatus.Healthy)]
    [InlineData(CalculatedRule.AtLeast, 2, HealthStatus.Unhealthy)]
    public async Task Report_ChildChanges_RecomputesCalculated(CalculatedRule rule, int atLeast, HealthStatus expected)
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, Leaf("a"), Leaf("b"), Calc("calc", rule, atLeast, "a", "b")));
        Assert.Equal(HealthStatus.Unknown, h.Status("calc"));
        Set(h, "a", HealthStatus.Healthy);
        Set(h, "b", HealthStatus.Unhealthy);
        Assert.Equal(expected, h.Status("calc"));
    }

    [Fact]
    public async Task Report_AllChildrenRecover_CalculatedAllBecomesHealthyWithReason()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null, Leaf("a"), Leaf("b"), Calc("calc", CalculatedRule.AtLeast, 1, "a", "b")));
        Set(h, "a", HealthStatus.Unhealthy);
        Set(h, "b", HealthStatus.Unhealthy);
        Assert.Equal(HealthStatus.Unhealthy, h.Status("calc"));
        Set(h, "b", HealthStatus.Healthy);
        Assert.Equal(HealthStatus.Healthy, h.Status("calc"));
        var last = h.Monitor.Events.Snapshot()[^1];
        Assert.Equal("calc", last.Check);
        Assert.Equal("calculated: 1 of 2 children healthy (at least 1)", last.Reason);
    }

    [Fact]
    public async Task Report_NestedCalculated_PropagatesThroughLevels()
    {
        var config = MonitorHarness.Topology(null,
            Leaf("a"), Leaf("b"), Leaf("c"),
            Calc("inner", CalculatedRule.Any, 0, "a", "b"),
            Calc("outer", CalculatedRule.All, 0, "inner", "c"));
        await using var h = new MonitorHarness(config);
        Set(h, "a", HealthStatus.Healthy);
        Set(h, "c", HealthStatus.Healthy);
        Assert.Equal(HealthStatus.Healthy, h.Status("outer"));

        Set(h, "a", HealthStatus.Unhealthy);
        Assert.Equal(HealthStatus.Healthy, h.Status("inner")); // b unknown counts as healthy (default policy)
        Set(h, "b", HealthStatus.Unhealthy);
        Assert.Equal(HealthStatus.Unhealthy, h.Status("inner"));
        Assert.Equal(HealthStatus.Unhealthy, h.Status("outer"));
    }

    [Fact]
    public async Task Report_UnknownChildWithUnhealthyPolicy_CountsAsUnhealthy()
    {
        var checkers = CheckersConfig.Default with { UnknownIs = UnknownHealthPolicy.Unhealthy };
        await using var h = new MonitorHarness(MonitorHarness.Topology(checkers, Leaf("a"), Leaf("b"), Calc("calc", CalculatedRule.All, 0, "a", "b")));
        Set(h, "a", HealthStatus.Healthy);
        Assert.Equal(HealthStatus.Unhealthy, h.Status("calc"));
    }

    [Fact]
    public async Task Install_DisabledChild_CountsAsHealthy()
    {
        await using var h = new MonitorHarness(MonitorHarness.Topology(null,
            Leaf("a") with { Disabled = true }, Leaf("b"), Calc("calc", CalculatedRule.All, 0, "a", "b")));
        Assert.Equal(HealthStatus.Healthy, h.Status("calc"));
        Set(h, "b", HealthStatus.Unhealthy);
        Assert.Equal(HealthStatus.Unhealthy, h.Status("calc"));
    }

    [Fact]
    public async Task Report_CycleNotRejected_Terminates()
    {
        var config = MonitorHarness.Topology(null,
            Leaf("a"),
            Calc("x", CalculatedRule.Any, 0, "a", "y"),
            Calc("y", CalculatedRule.All, 0, "x"));
        await using var h = new MonitorHarness(config);
        Set(h, "a", HealthStatus.Healthy);
        Set(h, "a", HealthStatus.Unhealthy);
        Assert.NotNull(h.Monitor.Find("x"));
    }
}
