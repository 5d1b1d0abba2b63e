namespace Meridian.Balancer;

/// <summary>
/// ALB threshold semantics for active checks: Initial or Unhealthy become Healthy after <c>HealthyThreshold</c>
/// consecutive successes; Initial or Healthy become Unhealthy after <c>UnhealthyThreshold</c> consecutive failures.
/// A result against the current trend resets the opposite counter. Draining targets are not checked.
/// </summary>
internal static class TargetHealthMachine
{
    public readonly record struct Result(TargetState State, int Successes, int Failures);

    public static Result Next(TargetState state, int successes, int failures, bool success, int healthyThreshold, int unhealthyThreshold)
    {
        if (state == TargetState.Draining)
        {
            return new(state, successes, failures);
        }

        var rise = Math.Max(1, healthyThreshold);
        var fall = Math.Max(1, unhealthyThreshold);
        if (success)
        {
            if (state == TargetState.Healthy)
            {
                return new(state, 0, 0);
            }

            successes++;
            return successes >= rise ? new(TargetState.Healthy, 0, 0) : new(state, successes, 0);
        }

        if (state == TargetState.Unhealthy)
        {
            return new(state, 0, 0);
        }

        failures++;
        return failures >= fall ? new(TargetState.Unhealthy, 0, 0) : new(state, 0, failures);
    }
}
