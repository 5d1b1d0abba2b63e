namespace Meridian.Health;

/// <summary>
/// A status change of a check: aggregated (<see cref="Location"/> is null) or as seen from one checker location.
/// </summary>
public sealed record HealthEvent(
    DateTimeOffset Time,
    string Check,
    string? Location,
    HealthStatus Old,
    HealthStatus New,
    string Reason,
    TimeSpan? Latency);
