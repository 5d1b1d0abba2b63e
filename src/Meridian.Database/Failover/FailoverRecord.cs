namespace Meridian.Database.Failover;

/// <summary>
/// The last time the writer moved: automatic failover or planned switchover. <see cref="LagBytes"/> is how far the
/// promoted replica was behind the former writer's last known position (the RPO bound at that moment);
/// <see cref="Detection"/> the time from the first failed check to the promotion.
/// </summary>
public sealed record FailoverRecord(
    DateTimeOffset Time,
    bool Planned,
    string From,
    string To,
    long LagBytes,
    TimeSpan Detection,
    string Reason);
