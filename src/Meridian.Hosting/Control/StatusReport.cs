using Meridian.Balancer;
using Meridian.Edge;
using Meridian.Health;

namespace Meridian.Hosting.Control;

/// <summary>What `meridian status` and GET /v1/status show.</summary>
public sealed record StatusReport(
    string Topology,
    string Roles,
    string? Region,
    IReadOnlyList<string> DnsEndpoints,
    IReadOnlyList<CheckStatus> Checks,
    IReadOnlyList<BalancerStatus> Balancers,
    IReadOnlyList<EdgeLocationStatus> Edge,
    IReadOnlyList<string> RegionsDown)
{
    public static StatusReport From(MeridianHost host) => new(
        host.Topology.SourceFile,
        host.Options.Roles.ToString(),
        host.Options.Region,
        host.Dns?.Endpoints.Select(e => e.ToString()).ToArray() ?? [],
        host.Health?.All.Select(CheckStatus.From).ToArray() ?? [],
        host.Balancers.Select(BalancerStatus.From).ToArray(),
        host.Edge is { } edge ? EdgeLocationStatus.From(edge) : [],
        host.Outages.RegionsDown.ToArray())
    {
        Replication = host.Replication.SelectMany(e => e.Snapshot()).ToArray(),
    };

    /// <summary>Per replication rule of this process's stores: backlog, latency, failures (S3 RTC's metrics).</summary>
    public IReadOnlyList<Storage.Replication.ReplicationRuleStatus> Replication { get; init; } = [];
}

/// <summary>One health check as the status view shows it.</summary>
public sealed record CheckStatus(string Name, string Status, bool Healthy, double? LatencyMs, DateTimeOffset? LastChange, string? Reason)
{
    public static CheckStatus From(HealthCheckState state) => new(
        state.Name,
        state.Status.ToString(),
        state.IsHealthy,
        state.LastLatency?.TotalMilliseconds,
        state.LastChange,
        state.LastReason);
}

/// <summary>A load balancer and its target group.</summary>
public sealed record BalancerStatus(string Name, string Endpoint, int HealthyTargets, bool FailingOpen, long Requests, IReadOnlyList<TargetStatusView> Targets)
{
    public static BalancerStatus From(RegionalLoadBalancer balancer) => new(
        balancer.Name,
        balancer.Endpoint.ToString(),
        balancer.HealthyTargets,
        balancer.IsFailingOpen,
        balancer.Counters.Requests,
        balancer.Targets.Select(t => new TargetStatusView(t.Target.ToString(), t.State.ToString(), t.Reason, t.InFlight)).ToArray());
}

public sealed record TargetStatusView(string Target, string State, string Reason, int InFlight);

/// <summary>An edge location: where it listens, what it served, how its origins look.</summary>
public sealed record EdgeLocationStatus(string Location, IReadOnlyList<string> Endpoints, EdgeMetrics Metrics)
{
    /// <summary>HTTPS listener addresses (empty when the location has none).</summary>
    public IReadOnlyList<string> HttpsEndpoints { get; init; } = [];

    /// <summary>The location's cache counters.</summary>
    public EdgeCacheMetrics? Cache { get; init; }

    public static IReadOnlyList<EdgeLocationStatus> From(EdgeServer edge)
    {
        var https = edge.HttpsEndpoints;
        return edge.Endpoints
            .Select(e => new EdgeLocationStatus(e.Key, e.Value.Select(v => v.ToString()).ToArray(), edge.GetMetrics(e.Key))
            {
                HttpsEndpoints = https.TryGetValue(e.Key, out var h) ? h.Select(v => v.ToString()).ToArray() : [],
                Cache = edge.GetCacheMetrics(e.Key),
            })
            .ToArray();
    }
}
