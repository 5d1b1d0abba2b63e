namespace Meridian.Health;

/// <summary>
/// The rise/fall state machine, pure. Semantics:
/// <list type="bullet">
/// <item>Unknown + success → Healthy at once (a new check is trusted on its first good answer, like Route53, which
/// considers new checks healthy).</item>
/// <item>Unknown + failure → stays Unknown until <c>fall</c> consecutive failures, then Unhealthy (one lost packet at
/// start-up must not mark an endpoint down).</item>
/// <item>Healthy: <c>fall</c> consecutive failures → Unhealthy; any success resets the failure run.</item>
/// <item>Unhealthy: <c>rise</c> consecutive successes → Healthy; any failure resets the success run.</item>
/// </list>
/// The input is the probe result after <c>invert</c>.
/// </summary>
internal static class ThresholdMachine
{
    public static ThresholdState Next(ThresholdState state, bool success, int rise, int fall)
    {
        rise = Math.Max(1, rise);
        fall = Math.Max(1, fall);
        switch (state.Status)
        {
            case HealthStatus.Unhealthy:
                if (!success)
                {
                    return new ThresholdState(HealthStatus.Unhealthy, 0, 0);
                }

                var successes = state.ConsecutiveSuccesses + 1;
                return successes >= rise
                    ? new ThresholdState(HealthStatus.Healthy, 0, 0)
                    : new ThresholdState(HealthStatus.Unhealthy, 0, successes);

            case HealthStatus.Healthy:
            case HealthStatus.Unknown:
            default:
                if (success)
                {
                    return new ThresholdState(HealthStatus.Healthy, 0, 0);
                }

                var failures = state.ConsecutiveFailures + 1;
                return failures >= fall
                    ? new ThresholdState(HealthStatus.Unhealthy, 0, 0)
                    : new ThresholdState(state.Status, failures, 0);
        }
    }
}
