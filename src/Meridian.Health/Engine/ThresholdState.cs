namespace Meridian.Health;

/// <summary>
/// Per (check, location) threshold state: the current thresholded status plus the run of consecutive results that
/// disagree with it. Immutable; <see cref="ThresholdMachine.Next"/> is the only transition.
/// </summary>
internal readonly record struct ThresholdState(HealthStatus Status, int ConsecutiveFailures, int ConsecutiveSuccesses)
{
    public static readonly ThresholdState Initial = new(HealthStatus.Unknown, 0, 0);

    /// <summary>
    /// True while a transition is pending: failures seen but not yet Unhealthy, or successes seen while Unhealthy.
    /// The loop then re-probes at the confirm interval instead of the normal interval.
    /// </summary>
    public bool IsConfirming => Status == HealthStatus.Unhealthy ? ConsecutiveSuccesses > 0 : ConsecutiveFailures > 0;
}
