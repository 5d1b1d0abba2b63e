namespace Meridian.Health;

/// <summary>
/// When one (check, location) starts its next probe, pure. Three regimes:
/// <list type="bullet">
/// <item><b>Nothing outstanding</b>: <c>ConfirmInterval</c> after the newest probe's start while a transition is
/// pending (fast confirmation), else <c>Interval</c> after it.</item>
/// <item><b>Hedged confirmation</b>: a probe unanswered for <c>ConfirmInterval</c> is suspect (healthy endpoints answer
/// in milliseconds), so the confirming probe starts then, in parallel, instead of after the suspect one times out.
/// A hung endpoint with fall 2 is thus Unhealthy at start + <c>ConfirmInterval</c> + <c>Timeout</c>, not
/// start + <c>Timeout</c> + <c>ConfirmInterval</c> + <c>Timeout</c>.</item>
/// <item><b>Otherwise</b> (outstanding probes and no hedge): wait for a result.</item>
/// </list>
/// Hedging happens only when it can bring a decision forward: while Healthy/Unknown (failures count toward
/// <c>Fall</c>; recovery probing while Unhealthy stays sequential), with fast confirmation enabled, when the failures
/// so far plus the outstanding probes cannot reach <c>Fall</c> on their own, and when the endpoint has not answered
/// since the newest probe started (it is then slow, not hung: a 400 ms endpoint gets one hedge per round, not a probe
/// every <c>ConfirmInterval</c>). Never more than <c>Fall</c> probes are in flight.
/// </summary>
internal static class ProbeSchedule
{
    /// <summary>The probe's timing settings, with the loop's defaults applied.</summary>
    public readonly record struct Settings(TimeSpan Interval, TimeSpan Confirm, int Fall)
    {
        /// <summary>Fast confirmation (and so hedging) is on when the confirm interval is shorter than the interval.</summary>
        public bool FastConfirmation => Confirm < Interval;

        public static Settings From(Meridian.Topology.Model.HealthCheckConfig config)
        {
            var interval = config.Interval > TimeSpan.Zero ? config.Interval : TimeSpan.FromSeconds(10);
            var confirm = config.ConfirmInterval > TimeSpan.Zero && config.ConfirmInterval < interval ? config.ConfirmInterval : interval;
            return new Settings(interval, confirm, Math.Max(1, config.Fall));
        }
    }

    /// <summary>What the loop knows when it decides.</summary>
    /// <param name="State">Threshold state after every result applied so far.</param>
    /// <param name="NewestStart">Start of the most recent probe.</param>
    /// <param name="LastResultAt">When the last result was applied (null: none yet).</param>
    /// <param name="InFlight">Probes not finished, including overtaken ones whose result will be ignored.</param>
    /// <param name="Pending">Probes not finished whose result will still count (started after the last applied one).</param>
    public readonly record struct Situation(
        ThresholdState State, DateTimeOffset NewestStart, DateTimeOffset? LastResultAt, int InFlight, int Pending);

    /// <summary>The start time of the next probe, or null when the loop must first wait for a probe in flight.</summary>
    public static DateTimeOffset? NextStart(Settings settings, Situation now)
    {
        if (now.InFlight >= settings.Fall)
        {
            return null; // the bound: at most Fall probes per location
        }

        if (now.Pending == 0)
        {
            return now.NewestStart + (now.State.IsConfirming ? settings.Confirm : settings.Interval);
        }

        return ShouldHedge(settings, now) ? now.NewestStart + settings.Confirm : null;
    }

    private static bool ShouldHedge(Settings settings, Situation now) =>
        now.State.Status != HealthStatus.Unhealthy
        && settings.FastConfirmation
        // With Fall 2 and one failure counted, the probe outstanding decides either way; another adds nothing.
        && now.State.ConsecutiveFailures + now.Pending < settings.Fall
        && (now.LastResultAt is not { } answered || answered < now.NewestStart);
}
