namespace Meridian.Balancer;

public enum BalancerEventKind
{
    TargetRegistered,
    TargetStateChanged,
    TargetRemoved,
    /// <summary>No target is healthy: requests go to every registered target (ALB fail-open).</summary>
    FailOpenStarted,
    FailOpenEnded,
}
