namespace Meridian.Balancer;

/// <summary>
/// A change in a balancer's target group. <see cref="Target"/> is null for group-wide events (fail-open);
/// <see cref="Old"/>/<see cref="New"/> are set for state changes.
/// </summary>
public sealed record BalancerEvent(
    DateTimeOffset Time,
    string Balancer,
    BalancerEventKind Kind,
    string? Target,
    TargetState? Old,
    TargetState? New,
    string Reason);
