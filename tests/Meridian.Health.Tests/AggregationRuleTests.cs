using Meridian.Topology.Model;

namespace Meridian.Health.Tests;

public sealed class AggregationRuleTests
{
    [Theory]
    [InlineData(1, 2, 0.18, HealthStatus.Healthy)]
    [InlineData(0, 3, 0.18, HealthStatus.Unhealthy)]
    [InlineData(1, 2, 0.5, HealthStatus.Unhealthy)]
    [InlineData(2, 1, 0.5, HealthStatus.Healthy)]
    [InlineData(1, 1, 0.5, HealthStatus.Unhealthy)] // strictly greater than
    public void QuorumEvaluate_FractionRule_MatchesRoute53(int healthy, int unhealthy, double fraction, HealthStatus expected)
    {
        var (status, _) = QuorumRule.Evaluate(healthy, unhealthy, 0, fraction);
        Assert.Equal(expected, status);
    }

    [Fact]
    public void QuorumEvaluate_AllUnknown_IsUnknown()
    {
        var (status, reason) = QuorumRule.Evaluate(0, 0, 3, 0.18);
        Assert.Equal(HealthStatus.Unknown, status);
        Assert.Contains("no checker has reported", reason);
    }

    [Fact]
    public void QuorumEvaluate_SomeUnknown_ComputesOverKnownOnly()
    {
        var (status, reason) = QuorumRule.Evaluate(0, 1, 2, 0.18);
        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Equal("0 of 1 checkers healthy (not > 18%), 2 not reported yet", reason);
    }

    [Fact]
    public void QuorumEvaluate_Healthy_ReasonNamesCountsAndFraction()
    {
        var (_, reason) = QuorumRule.Evaluate(2, 1, 0, 0.18);
        Assert.Equal("2 of 3 checkers healthy (> 18%)", reason);
    }

    [Theory]
    [InlineData(CalculatedRule.All, 0, new[] { HealthStatus.Healthy, HealthStatus.Healthy }, HealthStatus.Healthy)]
    [InlineData(CalculatedRule.All, 0, new[] { HealthStatus.Healthy, HealthStatus.Unhealthy }, HealthStatus.Unhealthy)]
    [InlineData(CalculatedRule.Any, 0, new[] { HealthStatus.Unhealthy, HealthStatus.Healthy }, HealthStatus.Healthy)]
    [InlineData(CalculatedRule.Any, 0, new[] { HealthStatus.Unhealthy, HealthStatus.Unhealthy }, HealthStatus.Unhealthy)]
    [InlineData(CalculatedRule.AtLeast, 2, new[] { HealthStatus.Healthy, HealthStatus.Unhealthy, HealthStatus.Healthy }, HealthStatus.Healthy)]
    [InlineData(CalculatedRule.AtLeast, 2, new[] { HealthStatus.Healthy, HealthStatus.Unhealthy, HealthStatus.Unhealthy }, HealthStatus.Unhealthy)]
    public void CalculatedEvaluate_Rules_CombineChildren(CalculatedRule rule, int atLeast, HealthStatus[] children, HealthStatus expected)
    {
        var (status, _) = CalculatedRuleEvaluator.Evaluate(rule, atLeast, children, UnknownHealthPolicy.Healthy);
        Assert.Equal(expected, status);
    }

    [Fact]
    public void CalculatedEvaluate_AllChildrenUnknown_IsUnknown()
    {
        var (status, _) = CalculatedRuleEvaluator.Evaluate(CalculatedRule.Any, 0, [HealthStatus.Unknown, HealthStatus.Unknown], UnknownHealthPolicy.Healthy);
        Assert.Equal(HealthStatus.Unknown, status);
    }

    [Theory]
    [InlineData(UnknownHealthPolicy.Healthy, HealthStatus.Healthy)]
    [InlineData(UnknownHealthPolicy.Unhealthy, HealthStatus.Unhealthy)]
    public void CalculatedEvaluate_SomeChildUnknown_FollowsUnknownPolicy(UnknownHealthPolicy policy, HealthStatus expected)
    {
        var (status, reason) = CalculatedRuleEvaluator.Evaluate(CalculatedRule.All, 0, [HealthStatus.Healthy, HealthStatus.Unknown], policy);
        Assert.Equal(expected, status);
        Assert.Contains("1 unknown counted as", reason);
    }

    [Fact]
    public void CalculatedEvaluate_AtLeast_ReasonIsReadable()
    {
        var (_, reason) = CalculatedRuleEvaluator.Evaluate(CalculatedRule.AtLeast, 1, [HealthStatus.Healthy, HealthStatus.Unhealthy], UnknownHealthPolicy.Healthy);
        Assert.Equal("calculated: 1 of 2 children healthy (at least 1)", reason);
    }
}
