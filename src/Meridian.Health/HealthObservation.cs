namespace Meridian.Health;

/// <summary>
/// What one checker location currently concludes about one check, after its own rise/fall thresholds.
/// Local prober loops and (later) remote checkers produce these; the monitor aggregates them over locations.
/// </summary>
/// <param name="Check">The health check name.</param>
/// <param name="Location">The checker location (vantage point) that observed it.</param>
/// <param name="Status">The location's thresholded status (not the raw probe result).</param>
/// <param name="Latency">Latency of the probe that produced this observation, when measured.</param>
/// <param name="Time">When the probe completed.</param>
/// <param name="Reason">Human-readable reason of the last probe ("HTTP 503 (expected 200-399)").</param>
/// <param name="ProbeSucceeded">The raw (post-invert) result of the latest probe.</param>
public sealed record HealthObservation(
    string Check,
    string Location,
    HealthStatus Status,
    TimeSpan? Latency,
    DateTimeOffset Time,
    string Reason,
    bool ProbeSucceeded = true);
