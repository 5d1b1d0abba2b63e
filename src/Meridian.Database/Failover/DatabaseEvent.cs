namespace Meridian.Database.Failover;

/// <summary>One failover decision or observation, with its reason. <see cref="From"/> equals <see cref="To"/> when the state did not change.</summary>
public sealed record DatabaseEvent(
    DateTimeOffset Time,
    string Cluster,
    DatabaseEventKind Kind,
    FailoverState From,
    FailoverState To,
    string? Member,
    string Reason);
