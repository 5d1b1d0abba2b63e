using System.Globalization;

namespace Meridian.Health;

/// <summary>
/// Aggregation over checker locations (Route53): healthy when the fraction of locations reporting Healthy is
/// strictly greater than the healthy fraction. Locations still Unknown are left out of the fraction; when every
/// location is Unknown the check is Unknown (and <see cref="HealthCheckState"/> applies the unknown policy).
/// </summary>
internal static class QuorumRule
{
    public static (HealthStatus Status, string Reason) Evaluate(int healthy, int unhealthy, int unknown, double fraction)
    {
        var known = healthy + unhealthy;
        if (known == 0)
        {
            return (HealthStatus.Unknown, $"no checker has reported yet ({unknown} pending)");
        }

        var isHealthy = (double)healthy / known > fraction;
        var percent = (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture);
        var reason = $"{healthy} of {known} checkers healthy ({(isHealthy ? ">" : "not >")} {percent}%)";
        if (unknown > 0)
        {
            reason += $", {unknown} not reported yet";
        }

        return (isHealthy ? HealthStatus.Healthy : HealthStatus.Unhealthy, reason);
    }
}
