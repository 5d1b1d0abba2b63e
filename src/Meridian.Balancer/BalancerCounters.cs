namespace Meridian.Balancer;

/// <summary>Request counters since start (a snapshot; counters only grow).</summary>
/// <param name="Requests">Proxied requests (the balancer's own health endpoint is not counted).</param>
/// <param name="Responses5xx">Requests answered with a 5xx status, by a target or by the balancer.</param>
/// <param name="Retries">Idempotent requests retried on another target after a connection failure.</param>
/// <param name="NoTarget">Requests answered 503 because no target could take them.</param>
/// <param name="TargetRequests">Attempts sent to each target ("host:port"), retries included.</param>
public sealed record BalancerCounters(
    long Requests,
    long Responses5xx,
    long Retries,
    long NoTarget,
    IReadOnlyDictionary<string, long> TargetRequests);
