using System.Net;

namespace Meridian.Drills;

/// <summary>
/// A region-outage drill: what to break, how, when, and what the synthetic client does meanwhile. All loads are
/// bounded: <see cref="Rate"/> requests per second per path for <see cref="Duration"/>, loopback targets only.
/// </summary>
public sealed record DrillOptions
{
    public required string Region { get; init; }
    public DrillMode Mode { get; init; } = DrillMode.Refuse;
    /// <summary>Requests per second on each HTTP path (edge, direct); DNS is asked every <see cref="DnsInterval"/>.</summary>
    public int Rate { get; init; } = 20;
    public TimeSpan DnsInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>When the outage starts, from the drill's start (the client first sees the healthy baseline).</summary>
    public TimeSpan OutageAt { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>When the region is restored; the rest of <see cref="Duration"/> watches failback.</summary>
    public TimeSpan RestoreAt { get; init; } = TimeSpan.FromSeconds(18);
    /// <summary>Client request timeout (a hung region shows as timeouts).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);
    public required IPEndPoint DnsServer { get; init; }
    /// <summary>The GSLB name the client resolves for direct requests (app.mydomain.test).</summary>
    public required string AppName { get; init; }
    /// <summary>The edge name (cdn.mydomain.test); null skips the edge path.</summary>
    public string? CdnName { get; init; }
    /// <summary>Port of the regional load balancers (direct path) and of the edge locations.</summary>
    public int DirectPort { get; init; } = 8080;
    public int EdgePort { get; init; } = 8080;
    /// <summary>HTTP path requested on both paths.</summary>
    public string RequestPath { get; init; } = "/api/region";
    /// <summary>The client's subnet sent as ECS, so DNS answers as for a client near the region.</summary>
    public IPNetwork? ClientSubnet { get; init; }
    /// <summary>Addresses of the drilled region (what "DNS still answers the region" means).</summary>
    public required IReadOnlyCollection<IPAddress> RegionAddresses { get; init; }
    /// <summary>The health checks that watch the region (for the timeline), from the topology.</summary>
    public IReadOnlyCollection<string> RegionChecks { get; init; } = [];
}
