using Meridian.Topology.Model;

namespace Meridian.Health;

/// <summary>
/// Calculated checks (Route53 "calculated health checks"). Unknown policy: when every child is Unknown the result is
/// Unknown; otherwise an Unknown child counts as the configured <see cref="UnknownHealthPolicy"/> says (healthy by
/// default, like Route53), since that is how routing already treats it.
/// </summary>
internal static class CalculatedRuleEvaluator
{
    public static (HealthStatus Status, string Reason) Evaluate(
        CalculatedRule rule, int atLeast, IReadOnlyList<HealthStatus> children, UnknownHealthPolicy unknownIs)
    {
        var total = children.Count;
        int healthy = 0, unknown = 0;
        foreach (var child in children)
        {
            if (child == HealthStatus.Healthy)
            {
                healthy++;
            }
            else if (child == HealthStatus.Unknown)
            {
                unknown++;
            }
        }

        if (total == 0 || unknown == total)
        {
            return (HealthStatus.Unknown, total == 0 ? "calculated: no children" : "calculated: no child has a result yet");
        }

        var unknownHealthy = unknownIs == UnknownHealthPolicy.Healthy;
        if (unknownHealthy)
        {
            healthy += unknown;
        }

        var (needed, ruleText) = rule switch
        {
            CalculatedRule.All => (total, "all"),
            CalculatedRule.Any => (1, "any"),
            _ => (Math.Max(0, atLeast), $"at least {atLeast}"),
        };
        var status = healthy >= needed ? HealthStatus.Healthy : HealthStatus.Unhealthy;
        var reason = $"calculated: {healthy} of {total} children healthy ({ruleText})";
        if (unknown > 0)
        {
            reason += $", {unknown} unknown counted as {(unknownHealthy ? "healthy" : "unhealthy")}";
        }

        return (status, reason);
    }
}
