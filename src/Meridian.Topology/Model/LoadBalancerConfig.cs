using System.Net;

namespace Meridian.Topology.Model;

public enum BalancingAlgorithm
{
    RoundRobin,
    LeastOutstandingRequests,
}

/// <summary>
/// A regional load balancer (the tutorial's ALB): a listener in front of a target group of app instances.
/// Defaults follow ALB where they make sense on one machine (documented per field).
/// </summary>
public sealed record LoadBalancerConfig
{
    public required string Name { get; init; }
    public required string Region { get; init; }
    public required IPEndPoint Listen { get; init; }
    public BalancingAlgorithm Algorithm { get; init; } = BalancingAlgorithm.RoundRobin;
    /// <summary>Target group members, "host:port" (ALB: registered targets).</summary>
    public IReadOnlyList<TargetConfig> Targets { get; init; } = [];
    public TargetHealthConfig Health { get; init; } = TargetHealthConfig.Default;
    /// <summary>ALB deregistration delay: in-flight requests may finish this long after a target is deregistered (ALB default 300 s).</summary>
    public TimeSpan DeregistrationDelay { get; init; } = TimeSpan.FromSeconds(300);
    /// <summary>The balancer's own health endpoint: 200 while the target group has a healthy target, 503 otherwise.</summary>
    public string HealthEndpoint { get; init; } = "/_meridian/health";
    /// <summary>Header carrying a request id; generated when the client sent none, always passed to the target.</summary>
    public string RequestIdHeader { get; init; } = "X-Request-Id";
    public SourceLocation Location { get; init; } = SourceLocation.None;
}

/// <summary>A target: host (IP or name) and port.</summary>
public sealed record TargetConfig(string Host, int Port)
{
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>ALB target group health check semantics.</summary>
public sealed record TargetHealthConfig
{
    /// <summary>ALB defaults: HTTP GET /, every 30 s, timeout 5 s, 5 successes to become healthy, 2 failures to become unhealthy, 200 OK.</summary>
    public static readonly TargetHealthConfig Default = new();

    public string Path { get; init; } = "/";
    /// <summary>Null: the target's own (traffic) port.</summary>
    public int? Port { get; init; }
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public int HealthyThreshold { get; init; } = 5;
    public int UnhealthyThreshold { get; init; } = 2;
    public IReadOnlyList<StatusRange> Matcher { get; init; } = [new(200, 200)];
}
