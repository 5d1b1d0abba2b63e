using Meridian.Health;

namespace Meridian.Hosting.Control;

/// <summary>What `meridian status` and GET /v1/status show.</summary>
public sealed record StatusReport(
    string Topology,
    string Roles,
    string? Region,
    IReadOnlyList<string> DnsEndpoints,
    IReadOnlyList<CheckStatus> Checks)
{
    public static StatusReport From(MeridianHost host) => new(
        host.Topology.SourceFile,
        host.Options.Roles.ToString(),
        host.Options.Region,
        host.Dns?.Endpoints.Select(e => e.ToString()).ToArray() ?? [],
        host.Health?.All.Select(CheckStatus.From).ToArray() ?? []);
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
