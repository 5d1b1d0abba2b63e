namespace Meridian.Balancer;

/// <summary>ALB target health states (plus <see cref="Draining"/> for deregistration).</summary>
public enum TargetState
{
    /// <summary>Registered, not yet passed <c>HealthyThreshold</c> consecutive checks: gets no traffic.</summary>
    Initial,
    Healthy,
    /// <summary>Failed <c>UnhealthyThreshold</c> consecutive checks, or a proxied request could not connect.</summary>
    Unhealthy,
    /// <summary>Deregistered: no new requests, in-flight ones may finish until the deregistration delay.</summary>
    Draining,
}
